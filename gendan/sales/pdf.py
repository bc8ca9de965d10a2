"""The quote as a PDF a company sends to its customer, drawn with ReportLab.

Chinese text uses ReportLab's built-in CID font STSong-Light (Adobe's standard Simplified
Chinese font, which PDF readers supply), so nothing is shipped or downloaded and a server without
CJK fonts still produces the document; Latin text and figures use Helvetica. Labels follow the
active language (the reader's, see `api/quotes.py`).
"""

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from gendan.sales.documents import quote_document
from gendan.sales.models import Quote

CJK = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

ACCENT = colors.HexColor("#1f4e79")
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#666666")
RULE = colors.HexColor("#c9d3de")
STRIPE = colors.HexColor("#f3f6f9")
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


# Text in two fonts ----------------------------------------------------------------------------


def _latin(char: str) -> bool:
    try:
        char.encode("cp1252")  # what Helvetica can show
    except UnicodeEncodeError:
        return False
    return True


def _runs(text: str) -> list[tuple[str, bool]]:
    """Split text into (run, is_latin) pieces."""
    runs: list[tuple[str, bool]] = []
    for char in text:
        latin = _latin(char)
        if runs and runs[-1][1] == latin:
            runs[-1] = (runs[-1][0] + char, latin)
        else:
            runs.append((char, latin))
    return runs


def _markup(text: str) -> str:
    """Paragraph markup: Chinese (and anything Helvetica lacks) in the CID font."""
    parts = []
    for run, latin in _runs(text):
        run = escape(run)
        parts.append(run if latin else f'<font name="{CJK}">{run}</font>')
    return "<br/>".join("".join(parts).split("\n"))


def _style(name: str, **kwargs) -> ParagraphStyle:
    defaults = {"fontName": LATIN, "fontSize": 9, "leading": 12, "textColor": INK}
    return ParagraphStyle(name, **{**defaults, **kwargs})


STYLES = {
    "company": _style("company", fontName=LATIN_BOLD, fontSize=15, leading=19),
    "small": _style("small", fontSize=8, leading=11, textColor=MUTED),
    "label": _style("label", fontSize=8, leading=11, textColor=MUTED),
    "value": _style("value", fontSize=9, leading=12),
    "value_right": _style("value_right", fontSize=9, leading=12, alignment=TA_RIGHT),
    "heading": _style(
        "heading", fontName=LATIN_BOLD, fontSize=8, leading=11, textColor=ACCENT, spaceAfter=2
    ),
    "name": _style("name", fontName=LATIN_BOLD, fontSize=10.5, leading=14),
    "th": _style("th", fontName=LATIN_BOLD, fontSize=8, leading=10, textColor=colors.white),
    "th_right": _style(
        "th_right",
        fontName=LATIN_BOLD,
        fontSize=8,
        leading=10,
        textColor=colors.white,
        alignment=TA_RIGHT,
    ),
    "cell": _style("cell", fontSize=8.5, leading=11),
    "cell_right": _style("cell_right", fontSize=8.5, leading=11, alignment=TA_RIGHT),
    "sku": _style("sku", fontSize=7, leading=9, textColor=MUTED),
    "body": _style("body", fontSize=9, leading=13),
}


def _p(text: str, style: str = "value") -> Paragraph:
    return Paragraph(_markup(text), STYLES[style])


class _StrongText(Flowable):
    """One line in bold, Chinese included: the CID font has no bold face, so its glyphs are
    filled and stroked (text render mode 2) while Latin runs use Helvetica-Bold."""

    def __init__(self, text: str, size: float, *, align: str = TA_LEFT, color=INK):
        super().__init__()
        self.text, self.size, self.align, self.color = text, size, align, color

    def _width(self) -> float:
        return sum(
            pdfmetrics.stringWidth(run, LATIN_BOLD if latin else CJK, self.size)
            for run, latin in _runs(self.text)
        )

    def wrap(self, avail_width, avail_height):
        self.avail_width = avail_width
        return avail_width, self.size * 1.3

    def draw(self):
        canvas = self.canv
        x = self.avail_width - self._width() if self.align == TA_RIGHT else 0
        text = canvas.beginText(x, self.size * 0.3)
        text.setFillColor(self.color)
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(self.size * 0.03)
        for run, latin in _runs(self.text):
            text.setFont(LATIN_BOLD if latin else CJK, self.size)
            text.setTextRenderMode(0 if latin else 2)
            text.textOut(run)
        text.setTextRenderMode(0)
        canvas.drawText(text)


# The document ---------------------------------------------------------------------------------


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _header(doc: dict) -> Table:
    company = doc["company"]
    contact_bits = [
        _("Tel. %(phone)s") % {"phone": company["phone"]} if company["phone"] else "",
        company["email"],
    ]
    left = [_p(company["name"], "company")]
    if company["address"]:
        left.append(_p(company["address"], "small"))
    if any(contact_bits):
        left.append(_p("  ·  ".join(bit for bit in contact_bits if bit), "small"))
    if company["tax_id"]:
        left.append(_p(_("Tax ID: %(tax_id)s") % {"tax_id": company["tax_id"]}, "small"))

    meta = Table(
        [
            [_p(_("Quote number"), "label"), _p(doc["number"], "value_right")],
            [_p(_("Date"), "label"), _p(_date(doc["issued_on"]), "value_right")],
            [_p(_("Valid until"), "label"), _p(_date(doc["valid_until"]), "value_right")],
        ],
        colWidths=[26 * mm, 36 * mm],
        hAlign="RIGHT",
    )
    meta.setStyle(TableStyle([("PADDING", (0, 0), (-1, -1), 1)]))
    right = [_StrongText(_("Quote"), 22, align=TA_RIGHT, color=ACCENT), Spacer(1, 4), meta]
    table = Table([[left, right]], colWidths=[WIDTH - 66 * mm, 66 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 1.5, ACCENT),
            ]
        )
    )
    return table


def _parties(doc: dict) -> Table:
    customer = [_p(_("Customer"), "heading"), _p(doc["customer"]["name"], "name")]
    if doc["customer"]["address"]:
        customer.append(_p(doc["customer"]["address"], "small"))
    contact = doc["contact"]
    if contact:
        who = contact["name"] + (f", {contact['title']}" if contact["title"] else "")
        customer.append(_p(_("Attn.: %(name)s") % {"name": who}, "value"))
        reach = "  ·  ".join(bit for bit in (contact["phone"], contact["email"]) if bit)
        if reach:
            customer.append(_p(reach, "small"))

    rep = doc["representative"]
    ours = [_p(_("Sales representative"), "heading"), _p(rep["name"], "name")]
    reach = "  ·  ".join(bit for bit in (rep["phone"], rep["email"]) if bit)
    if reach:
        ours.append(_p(reach, "small"))
    ours.append(_p(_("Reference: %(deal)s") % {"deal": doc["deal_name"]}, "small"))

    table = Table([[customer, ours]], colWidths=[WIDTH * 0.55, WIDTH * 0.45])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return table


ITEM_WIDTHS = [8 * mm, None, 17 * mm, 13 * mm, 26 * mm, 18 * mm, 30 * mm]


def _items(doc: dict) -> Table:
    header = [
        _p("#", "th"),
        _p(_("Description"), "th"),
        _p(_("Quantity"), "th_right"),
        _p(_("Unit"), "th"),
        _p(_("Unit price"), "th_right"),
        _p(_("Discount"), "th_right"),
        _p(_("Amount"), "th_right"),
    ]
    rows = [header]
    for line in doc["lines"]:
        description = [_p(line["description"], "cell")]
        if line["sku"]:
            description.append(_p(line["sku"], "sku"))
        rows.append(
            [
                _p(str(line["position"]), "cell"),
                description,
                _p(line["quantity"], "cell_right"),
                _p(line["unit"], "cell"),
                _p(line["unit_price"], "cell_right"),
                _p(f"{line['discount_pct']}%" if line["discount_pct"] else "—", "cell_right"),
                _p(line["line_total"], "cell_right"),
            ]
        )
    if not doc["lines"]:
        rows.append(["", _p(_("No items yet."), "cell"), "", "", "", "", ""])
    widths = list(ITEM_WIDTHS)
    widths[1] = WIDTH - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), STRIPE) for r in range(2, len(rows), 2)]
    table.setStyle(TableStyle(style))
    return table


def _totals(doc: dict) -> Table:
    currency = doc["currency"]
    rows = [[_p(_("Subtotal"), "value"), _p(doc["subtotal"], "value_right")]]
    if doc["has_discount"]:
        rows.append([_p(_("Discount"), "value"), _p(f"-{doc['discount_total']}", "value_right")])
    rows.append(
        [
            _p(_("Tax (%(rate)s%%)") % {"rate": doc["tax_rate"]}, "value"),
            _p(doc["tax"], "value_right"),
        ]
    )
    rows.append(
        [
            _StrongText(_("Total (%(currency)s)") % {"currency": currency}, 11),
            _StrongText(f"{currency} {doc['total']}", 11, align=TA_RIGHT),
        ]
    )
    table = Table(rows, colWidths=[42 * mm, 42 * mm], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEABOVE", (0, -1), (-1, -1), 1.2, ACCENT),
                ("BACKGROUND", (0, -1), (-1, -1), STRIPE),
                ("TOPPADDING", (0, -1), (-1, -1), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    return table


def _terms(doc: dict) -> list:
    parts = [Spacer(1, 10)]
    terms = [_("All amounts are in %(currency)s.") % {"currency": doc["currency"]}]
    if doc["valid_until"]:
        terms.insert(
            0, _("This quote is valid until %(date)s.") % {"date": _date(doc["valid_until"])}
        )
    parts.append(_p(" ".join(terms), "body"))
    if doc["notes"]:
        parts += [Spacer(1, 8), _p(_("Notes"), "heading"), _p(doc["notes"], "body")]
    return parts


def _signatures(doc: dict) -> Table:
    ours = _("For %(company)s (signature and stamp)") % {"company": doc["company"]["name"]}
    theirs = _("Accepted by the customer (signature and stamp)")
    table = Table(
        [
            ["", "", ""],
            [_p(ours, "label"), "", _p(theirs, "label")],
            [_p(_("Date:"), "label"), "", _p(_("Date:"), "label")],
        ],
        colWidths=[WIDTH * 0.44, WIDTH * 0.12, WIDTH * 0.44],
        rowHeights=[30, None, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (0, 0), 0.7, INK),
                ("LINEBELOW", (2, 0), (2, 0), 0.7, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, -1), 3),
            ]
        )
    )
    return table


def _draft_mark(doc: dict):
    """Drawn first on every page of a draft, under the content."""

    def draw(canvas: Canvas, _template) -> None:
        if not doc["is_draft"]:
            return
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#ececec"))
        canvas.translate(A4[0] / 2, A4[1] / 2)
        canvas.rotate(35)
        mark = _("Draft")
        latin = all(is_latin for _run, is_latin in _runs(mark))
        canvas.setFont(LATIN_BOLD if latin else CJK, 96)
        canvas.drawCentredString(0, 0, mark)
        canvas.restoreState()

    return draw


class _NumberedCanvas(Canvas):
    """Draws the footer ("page 1 of 2") once the page count is known."""

    def __init__(self, *args, doc: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._quote_doc = doc
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        count = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(count)
            super().showPage()
        super().save()

    def _text(self, x: float, y: float, text: str, size: float, *, right: bool = False):
        width = sum(
            pdfmetrics.stringWidth(run, LATIN if latin else CJK, size) for run, latin in _runs(text)
        )
        obj = self.beginText(x - width if right else x, y)
        for run, latin in _runs(text):
            obj.setFont(LATIN if latin else CJK, size)
            obj.textOut(run)
        self.drawText(obj)

    def _decorate(self, count: int) -> None:
        doc = self._quote_doc
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
        self.setFillColor(MUTED)
        company = doc["company"]
        left = "  ·  ".join(
            bit for bit in (company["name"], company["phone"], company["email"]) if bit
        )
        self._text(MARGIN, 10 * mm, left, 7.5)
        page = _("%(number)s · page %(page)d of %(pages)d") % {
            "number": doc["number"],
            "page": self._pageNumber,
            "pages": count,
        }
        self._text(A4[0] - MARGIN, 10 * mm, page, 7.5, right=True)
        self.restoreState()


def quote_pdf(quote: Quote) -> bytes:
    """The PDF of `quote` (from `selectors.quotes.quote_get`) in the active language."""
    doc = quote_document(quote)
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{_('Quote')} {doc['number']}",
        author=doc["company"]["name"],
        subject=doc["customer"]["name"],
        creator="Gendan",
    )
    bottom = 22 * mm
    frame = Frame(
        MARGIN,
        bottom,
        WIDTH,
        A4[1] - MARGIN - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates([PageTemplate(frames=[frame], onPage=_draft_mark(doc))])
    story = [
        _header(doc),
        _parties(doc),
        _items(doc),
        Spacer(1, 8),
        KeepTogether([_totals(doc), *_terms(doc)]),
        Spacer(1, 24),
        KeepTogether([_signatures(doc)]),
    ]
    template.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, doc=doc, **k))
    return buffer.getvalue()
