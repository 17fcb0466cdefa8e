"""The personnel-file custody certificate (存档证明) as PDF: always in Chinese, in the STSong-Light CID font the
agreements use."""
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from portal.localtime import format_date

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=22, wordWrap="CJK", firstLineIndent=24)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=30, alignment=1, spaceAfter=12)
_RIGHT = ParagraphStyle("right", fontName=FONT, fontSize=12, leading=22, alignment=2)
_SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=14)


def render(*, number: str, agency: str, name: str, id_number: str, archive_number: str, since, issued_on,
           check_url: str) -> bytes:
    """The certificate that `agency` keeps the personnel file of `name` since `since`, issued on `issued_on`; whoever
    receives it checks it against the agency's record at `check_url`."""
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=30 * mm,
                                 title="存档证明", author=agency)
    text = (f"兹证明 {name}（居民身份证号码 {id_number}）的人事档案自 {format_date(since)} 起由我中心保管，"
            f"档案编号 {archive_number}，现仍在我中心保管。")
    document.build([
        Paragraph("存档证明", _TITLE),
        Paragraph(escape(f"证明编号：{number}"), _SMALL),
        Spacer(0, 8 * mm),
        Paragraph(escape(text), _BODY),
        Paragraph("特此证明。", _BODY),
        Spacer(0, 20 * mm),
        Paragraph(escape(agency), _RIGHT),
        Paragraph(escape(format_date(issued_on)), _RIGHT),
        Spacer(0, 12 * mm),
        Paragraph(escape(f"核验本证明：{check_url}"), _SMALL),
    ])
    return buffer.getvalue()
