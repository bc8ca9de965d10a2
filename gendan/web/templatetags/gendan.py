"""Template helpers: links to records, money, relative ages."""

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


@register.simple_tag
def user_options(users, selected=None):
    """The <option>s of a people picker, rendered at once: a big organisation lists thousands
    of people, and a template loop (or format_html per option) costs more than the rest of the
    page. The names are escaped as the template engine would."""
    selected = str(selected) if selected not in (None, "") else None
    options = []
    for user in users:
        pk = str(user.pk)
        mark = " selected" if pk == selected else ""
        options.append(f'<option value="{pk}"{mark}>{escape(user.name)}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value above is escaped


@register.simple_tag
def record_url(record) -> str:
    """The page of a lead, customer, contact, deal or contract; '' until that page exists."""
    if record is None:
        return ""
    name = record._meta.model_name
    try:
        return reverse(f"{name}s:detail", args=[record.pk])
    except NoReverseMatch:
        return ""


@register.filter
def money(value, currency: str = "CNY") -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = CURRENCY_SIGNS.get(currency or "CNY", f"{currency} ")
    return f"{sign}{amount:,.2f}"


@register.filter
def age(value) -> str:
    """'3 days', '5 hours' since a moment."""
    if not value:
        return ""
    seconds = max(0, int((timezone.now() - value).total_seconds()))
    days = seconds // 86400
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    hours = seconds // 3600
    if hours:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return _("just now")


@register.filter
def days_since(value) -> int:
    if not value:
        return 0
    return max(0, (timezone.now() - value).days)


@register.filter
def is_overdue(value) -> bool:
    return bool(value) and value < timezone.now()


@register.filter
def local_name(obj) -> str:
    """A pipeline's or stage's name in the reader's language (`name_zh` for Chinese)."""
    from django.utils.translation import get_language

    if obj is None:
        return ""
    name_zh = getattr(obj, "name_zh", "") if not isinstance(obj, dict) else obj.get("name_zh")
    name = getattr(obj, "name", "") if not isinstance(obj, dict) else obj.get("name")
    if name_zh and (get_language() or "").startswith("zh"):
        return name_zh
    return name or name_zh or ""


EVENT_ICONS = {
    "created": "bi-plus-circle",
    "follow_up": "bi-chat-left-text",
    "stage_changed": "bi-arrow-right-circle",
    "status_changed": "bi-flag",
    "owner_changed": "bi-person-check",
    "amount_changed": "bi-currency-yen",
    "task_created": "bi-list-check",
    "task_done": "bi-check2-circle",
    "converted": "bi-shuffle",
    "comment_added": "bi-chat-dots",
    "attachment_added": "bi-paperclip",
    "payment_recorded": "bi-cash-coin",
    "visit_logged": "bi-emoji-smile",
    "quote_created": "bi-file-earmark-text",
    "quote_sent": "bi-send",
    "quote_accepted": "bi-file-earmark-check",
    "quote_rejected": "bi-file-earmark-x",
    "quote_expired": "bi-file-earmark-minus",
    "contract_created": "bi-file-earmark-ruled",
    "contract_activated": "bi-pen",
    "contract_fulfilled": "bi-patch-check",
    "contract_terminated": "bi-x-octagon",
    "payment_planned": "bi-calendar2-week",
    "milestone_added": "bi-signpost",
    "milestone_done": "bi-signpost-2",
    "collaborator_added": "bi-people",
    "collaborator_removed": "bi-person-dash",
    "contact_added": "bi-person-vcard",
    "deal_created": "bi-briefcase",
    "updated": "bi-pencil",
}


def _status_labels(subject_type: str) -> dict:
    from gendan.customers.choices import CustomerStatus
    from gendan.deals.choices import DealStatus
    from gendan.leads.choices import LeadStatus
    from gendan.sales.choices import ContractStatus

    choices = {
        "lead": LeadStatus,
        "deal": DealStatus,
        "customer": CustomerStatus,
        "contract": ContractStatus,
    }.get(subject_type)
    return dict(choices.choices) if choices else {}


@register.filter
def event_icon(event) -> str:
    return EVENT_ICONS.get(event.kind, "bi-dot")


@register.filter
def event_text(event) -> str:
    """A one-line description of what changed, from the event's data."""
    data = event.data or {}
    kind = event.kind
    if kind == "stage_changed":
        return f"{data.get('from_name', '')} → {data.get('to_name', '')}"
    if kind == "owner_changed" and ("from_name" in data or "to_name" in data):
        return f"{data.get('from_name') or '—'} → {data.get('to_name') or '—'}"
    if kind == "amount_changed":
        return f"{money(data.get('from'))} → {money(data.get('to'))}"
    if kind in ("status_changed", "owner_changed"):
        labels = _status_labels(event.subject_type) if kind == "status_changed" else {}
        old, new = data.get("from"), data.get("to")
        text = f"{labels.get(old, old) or '—'} → {labels.get(new, new) or '—'}"
        if data.get("lost_reason"):
            text += f" ({data['lost_reason']})"
        return text
    if kind == "updated":
        return ", ".join(sorted((data.get("fields") or {}).keys()))
    for key in ("excerpt", "name", "title", "number"):
        if data.get(key):
            return str(data[key])
    if data.get("amount"):
        return money(data["amount"], data.get("currency") or "CNY")
    return ""
