"""The graduate's data as a readable PDF: one section per kind of record, Chinese text in STSong-Light."""
import re
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from portal.i18n import gettext
from portal.localtime import format_datetime

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=17, spaceBefore=8, spaceAfter=3)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
MAX_VALUE_CHARS = 2000
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _readable(value) -> str:
    """A stored moment (ISO, in UTC) on Tianjin's clock in the portal's one format; anything else as it is."""
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return format_datetime(datetime.fromisoformat(value))
    return "" if value is None else str(value)


def _line(key: str, value) -> Paragraph:
    text = _readable(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS] + " …"
    return Paragraph(f"<b>{escape(key)}</b>: {escape(text)}", BODY)


def render_export(data: dict) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title=gettext("My data in Jinying"))
    story = [Paragraph(escape(gettext("My data in Jinying")), TITLE),
             Paragraph(escape(gettext("Generated at %(at)s (Tianjin time).", at=_readable(data["generated_at"]))), BODY),
             Paragraph(escape(gettext("Account")), HEADING)]
    story += [_line(key, value) for key, value in data["account"].items()]
    for table, rows in data["records"].items():
        story.append(Paragraph(escape(f"{table} ({len(rows)})"), HEADING))
        for number, row in enumerate(rows, 1):
            story.append(Paragraph(f"#{number}", BODY))
            story += [_line(key, value) for key, value in row.items()]
            story.append(Spacer(1, 3 * mm))
    document.build(story)
    return buffer.getvalue()
