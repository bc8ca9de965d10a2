"""The cards of a board column, rendered at once.

A board shows a hundred and more cards and the template engine's per-variable lookups cost
more than the rest of the page (as `user_options` found for people pickers). The markup is the
one `deals/_cards.html` used to loop over; every value written is escaped here (by the
standard library's escape, as Django's own is, without its per-call lazy-text check).
"""

import html

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gendan.core.risk import reasons_out
from gendan.fields.display import shown_value
from gendan.ui.templatetags.gendan import days_since, money

register = template.Library()


def escape(value) -> str:
    return html.escape(str(value))


_PK = 987654321  # a stand-in id, replaced by each card's own in the page's link


@register.simple_tag
def deal_cards(cards, cfields) -> str:
    """The <article> of each card: name (linked), risk, customer, card fields, amount, owner,
    days in stage and next follow-up."""
    link = reverse("deals:detail", args=[_PK])
    titles = {
        "owner": escape(_("Owner")),
        "days": escape(_("Days in stage")),
        "follow_up": escape(_("Next follow-up")),
    }
    now = timezone.now()
    return mark_safe(  # noqa: S308 - every value is escaped where it is written
        "".join(_card(deal, cfields or (), link, titles, now) for deal in cards)
    )


def _card(deal, cfields, link: str, titles: dict, now) -> str:
    stalled = " is-stalled" if getattr(deal, "is_stalled_flag", False) else ""
    url = link.replace(str(_PK), str(deal.pk))
    parts = [
        f'<article class="gd-deal-card{stalled}" data-deal-id="{deal.pk}" '
        f'data-version="{deal.version}">\n  <div class="d-flex justify-content-between gap-2">\n'
        f'    <div class="gd-deal-name"><a href="{url}">{escape(deal.name)}</a></div>\n',
    ]
    if deal.risk_level != "low":
        reasons = escape("; ".join(item["text"] for item in reasons_out(deal.risk_reasons)))
        parts.append(
            f'    <span class="badge badge-risk-{escape(deal.risk_level)}" title="{reasons}">'
            f"{escape(deal.get_risk_level_display())}</span>\n"
        )
    customer = escape(deal.customer.name) if deal.customer_id else ""
    parts.append(f'  </div>\n  <div class="gd-deal-customer">{customer}</div>\n')
    parts.append(_custom_values(deal, cfields))
    owner = escape(deal.owner.name) if deal.owner_id else ""
    parts.append(
        '  <div class="d-flex justify-content-between align-items-center mt-1">\n'
        f'    <span class="fw-semibold">{escape(money(deal.amount, deal.currency))}</span>\n'
        f'    <span class="gd-deal-owner" title="{titles["owner"]}"><i class="bi bi-person"></i>'
        f" {owner}</span>\n  </div>\n"
        '  <div class="gd-deal-meta">\n'
    )
    if deal.status == "open":
        days = days_since(deal.stage_entered_at)
        text = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
        late = "gd-overdue" if stalled else ""
        parts.append(
            f'    <span class="{late}" title="{titles["days"]}"><i class="bi bi-hourglass"></i>'
            f" {escape(text)}</span>\n"
        )
    if deal.next_follow_up_at:
        late = "gd-overdue" if deal.next_follow_up_at < now else ""
        day = date_filter(timezone.localtime(deal.next_follow_up_at), "SHORT_DATE_FORMAT")
        parts.append(
            f'    <span class="{late}" title="{titles["follow_up"]}">'
            f'<i class="bi bi-calendar-event"></i> {escape(day)}</span>\n'
        )
    parts.append("  </div>\n</article>")
    return "".join(parts)


def _custom_values(deal, cfields) -> str:
    """The card fields with a value, as `fields/_card_values.html` shows them elsewhere."""
    rows = []
    for column in cfields:
        field = column["field"]
        shown = shown_value(field, (deal.custom or {}).get(field.key), column["names"])
        if not shown["text"]:
            continue
        label, text = escape(column["label"]), escape(shown["text"])
        if shown["color"]:
            inner = (
                f'<span class="badge gd-choice" style="background-color: '
                f'{escape(shown["color"])}">{text}</span>'
            )
        else:
            inner = f'<span class="text-muted">{label}:</span> {text}'
        rows.append(
            f'<span class="me-1" data-field="{escape(field.key)}" title="{label}">{inner}</span>'
        )
    if not rows:
        return ""
    return f'  <div class="gd-deal-custom small mt-1">{"".join(rows)}</div>\n'
