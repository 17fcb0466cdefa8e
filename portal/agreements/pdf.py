"""Renders an agreement to PDF: Chinese text in the STSong-Light CID font, a QR code to the verification page."""
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.agreements.models import Agreement, AgreementTemplate
from portal.localtime import format_date

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BASE = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
_TITLE = ParagraphStyle("title", parent=_BASE, fontSize=17, leading=24, alignment=1, spaceAfter=4)
_SUBTITLE = ParagraphStyle("subtitle", parent=_BASE, fontSize=9, alignment=1, textColor=colors.grey)
_HEADING = ParagraphStyle("heading", parent=_BASE, fontSize=12, leading=20, spaceBefore=8, spaceAfter=2)
_SMALL = ParagraphStyle("small", parent=_BASE, fontSize=8.5, leading=12, textColor=colors.grey)

TITLE = "天津市普通高等学校毕业生就业协议书"
# The document is always in Chinese, whatever language the drafter's pages were in.
DEGREES = {"secondary": "中专", "technical": "技工学校", "associate": "专科", "bachelor": "本科",
           "master": "硕士研究生", "doctorate": "博士研究生"}


def _p(text: str, style: ParagraphStyle = _BASE) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _qr(url: str, size: float = 28 * mm) -> Drawing:
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _grid(rows: list[tuple[str, str]]) -> Table:
    table = Table([[_p(k), _p(v)] for k, v in rows], colWidths=[38 * mm, 132 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_agreement_pdf(agreement: Agreement, template: AgreementTemplate, *, verify_url: str) -> bytes:
    """The unsigned agreement; `agreement.parties` holds the names as they were when it was drafted."""
    parties = agreement.parties
    employer, graduate, school = parties["employer"], parties["graduate"], parties["school"]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=f"{TITLE} {agreement.number}", author="津英就业 Jinying", subject=agreement.number,
    )
    header = Table(
        [[[_p(TITLE, _TITLE), _p("Tripartite Employment Agreement / 津英就业网上签约", _SUBTITLE),
           _p(f"协议编号：{agreement.number}", _SUBTITLE)], _qr(verify_url)]],
        colWidths=[140 * mm, 30 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [header, _p(f"扫描二维码或访问 {verify_url} 核验本协议的电子签名。", _SMALL), Spacer(1, 4 * mm)]

    story += [_p("一、协议各方", _HEADING), _grid([
        ("甲方（用人单位）", employer["name"]),
        ("统一社会信用代码", employer.get("uscc", "")),
        ("单位地址", employer.get("address") or ""),
        ("乙方（毕业生）", graduate["name"]),
        ("学号 / 专业 / 学历", f'{graduate.get("student_number", "")} / {graduate.get("major", "")} / '
                          f'{DEGREES.get(graduate.get("degree", ""), graduate.get("degree", ""))}'),
        ("丙方（学校）", school["name"]),
    ])]
    probation = f"{agreement.probation_months} 个月" if agreement.probation_months else "无试用期"
    story += [_p("二、聘用条件", _HEADING), _grid([
        ("工作岗位", agreement.position_title),
        ("月工资（税前）", f"人民币 {agreement.salary_monthly:,} 元"),
        ("试用期", probation),
        ("报到日期", format_date(agreement.start_date)),
        ("工作地点", agreement.work_place),
    ])]
    story += [_p("三、标准条款", _HEADING), _p(template.standard_clauses)]
    story += [_p("四、违约责任", _HEADING), _p(agreement.breach_terms or "（无）")]
    story += [_p("五、其他约定", _HEADING), _p(agreement.extra_clauses or "（无）")]
    story += [KeepTogether([
        _p("六、签署", _HEADING),
        _p("本协议由甲方、乙方、丙方依次以电子签名方式签署，电子签名由津英就业平台证书机构签发的数字证书生成，"
           "与手写签名或盖章具有同等效力。签署后对文件的任何改动都会使签名核验失败。"),
        Spacer(1, 3 * mm),
        _grid([
            ("甲方签署", f'{employer["name"]}（电子签名，见签名面板）'),
            ("乙方签署", f'{graduate["name"]}（电子签名，见签名面板）'),
            ("丙方签署", f'{school["name"]} 就业指导部门（电子签名，见签名面板）'),
        ]),
        Spacer(1, 4 * mm),
        _p(f"模板：{template.name}（第 {template.version} 版）", _SMALL),
    ])]
    doc.build(story)
    return buffer.getvalue()
