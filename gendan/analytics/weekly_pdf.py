"""The weekly review as an A4 PDF, drawn with ReportLab in the style of the quote PDF (same
fonts: Helvetica for Latin text, the built-in STSong-Light CID font for Chinese)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from gendan.analytics.weekly_text import bottleneck_lines, delta, number, title
from gendan.sales.pdf import ACCENT, MARGIN, RULE, STRIPE, WIDTH, _p, _StrongText
from gendan.ui.templatetags.gendan import local_name


def _table(header: list[str], rows: list[list[str]], widths: list[float], right_from: int = 1):
    """A striped table; columns from `right_from` on are figures, right-aligned."""

    def cells(values, head=False):
        return [
            _p(
                v,
                ("th_right" if head else "cell_right")
                if i >= right_from
                else ("th" if head else "cell"),
            )
            for i, v in enumerate(values)
        ]

    data = [cells(header, head=True)] + [cells(r) for r in rows]
    if not rows:
        data.append(cells([_("No data for this week.")] + [""] * (len(header) - 1)))
    table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), STRIPE) for r in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def _compared(cmp: dict, kind: str = "count") -> list[str]:
    return [number(cmp["value"], kind), number(cmp["previous"], kind), delta(cmp["delta"], kind)]


def _section(text: str) -> list:
    return [Spacer(1, 10), _p(text, "heading")]


def _summary(review: dict) -> list:
    totals = review["totals"]
    rows = [
        [_("New deals"), *_compared(review["funnel"]["deals"])],
        [_("Follow-ups"), *_compared(totals["follow_ups"])],
        [_("Deals won"), *_compared(totals["deals_won"])],
        [_("Won amount"), *_compared(totals["amount"], "money")],
        [_("Deals lost"), *_compared(review["lost_reasons"]["deals"])],
        [_("Overdue payments"), *_compared(review["overdue"]["amount"], "money")],
        [_("Deals at risk"), *_compared(review["at_risk"]["count"])],
    ]
    head = [_("Figure"), _("This week"), _("Previous week"), _("Change")]
    return [_table(head, rows, [0.4, 0.2, 0.2, 0.2])]


def _funnel(review: dict) -> list:
    rows = [
        [
            local_name(s),
            *_compared(s["reached"]),
            number(s["conversion_to_next"], "rate"),
            number(s["amount"], "money"),
        ]
        for s in review["funnel"]["stages"]
    ]
    head = [_("Stage"), _("Reached"), _("Previous week"), _("Change"), _("To next"), _("Amount")]
    parts = [_table(head, rows, [0.3, 0.12, 0.14, 0.1, 0.12, 0.22])]
    lines = bottleneck_lines(review)
    if lines:
        parts += [Spacer(1, 4), *(_p(line, "body") for line in lines)]
    return parts


def _reps(review: dict) -> list:
    rows = [
        [
            r["name"],
            f"{r['follow_ups']['value']} ({delta(r['follow_ups']['delta'])})",
            f"{r['deals_won']['value']} ({delta(r['deals_won']['delta'])})",
            number(r["amount"]["value"], "money"),
            delta(r["amount"]["delta"], "money"),
            number(r["attainment"], "rate"),
        ]
        for r in review["reps"]
    ]
    head = [_("Rep"), _("Follow-ups"), _("Deals won"), _("Won amount"), _("Change"), _("Target")]
    return [_table(head, rows, [0.24, 0.14, 0.14, 0.18, 0.17, 0.13])]


def _risks(review: dict) -> list:
    rows = [
        [
            d["name"],
            d["customer"],
            d["owner"],
            number(d["amount"], "money"),
        ]
        for d in review["at_risk"]["rows"]
    ]
    head = [_("Deal"), _("Customer"), _("Owner"), _("Amount")]
    return [_table(head, rows, [0.34, 0.28, 0.18, 0.2], right_from=3)]


def _lost(review: dict) -> list:
    rows = [
        [r["reason"], *_compared(r["deals"]), number(r["amount"], "money")]
        for r in review["lost_reasons"]["rows"]
    ]
    head = [_("Lost reason"), _("Deals"), _("Previous week"), _("Change"), _("Amount")]
    return [_table(head, rows, [0.36, 0.12, 0.16, 0.12, 0.24])]


def _aging(review: dict) -> list:
    aging = review["overdue"]["aging"]
    head = [_("Days overdue"), *aging.keys()]
    rows = [[_("Amount"), *(number(v, "money") for v in aging.values())]]
    return [_table(head, rows, [0.2, 0.2, 0.2, 0.2, 0.2])]


def weekly_pdf(review: dict, *, scope_name: str = "") -> bytes:
    """The PDF of a review from `weekly.weekly_review`, in the active language."""
    buffer = io.BytesIO()
    heading = title(review)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=heading,
        creator="Gendan",
    )
    previous = _("Compared with %(from)s – %(to)s") % {
        "from": review["previous"]["from"].isoformat(),
        "to": review["previous"]["to"].isoformat(),
    }
    story = [
        _StrongText(heading, 16, color=ACCENT),
        _p(" · ".join(bit for bit in (scope_name, previous) if bit), "small"),
        *_section(pgettext("weekly review", "Summary")),
        *_summary(review),
        *_section(_("Funnel of the deals created this week")),
        *_funnel(review),
        *_section(_("Reps")),
        *_reps(review),
        *_section(_("Deals at risk")),
        *_risks(review),
        *_section(_("Top lost reasons")),
        *_lost(review),
        *_section(_("Overdue payments by age")),
        *_aging(review),
    ]
    doc.build(story)
    return buffer.getvalue()
