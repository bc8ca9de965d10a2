"""The timeline's lines: an icon and a one-line text per event."""

from django import template

from gendan.customers.choices import CustomerStatus
from gendan.deals.choices import DealStatus
from gendan.leads.choices import LeadStatus
from gendan.sales.choices import ContractStatus
from gendan.ui.templatetags.gendan import money

register = template.Library()

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
    "checklist_ticked": "bi-check2-square",
    "checklist_unticked": "bi-square",
    "form_submitted": "bi-ui-radios",
}


def _status_labels(subject_type: str) -> dict:
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
    if kind in ("checklist_ticked", "checklist_unticked"):
        return str(data.get("text") or "")
    if kind == "updated":
        return ", ".join(sorted((data.get("fields") or {}).keys()))
    for key in ("excerpt", "name", "title", "number"):
        if data.get(key):
            return str(data[key])
    if data.get("amount"):
        return money(data["amount"], data.get("currency") or "CNY")
    return ""
