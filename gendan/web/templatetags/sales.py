"""Template helpers of the sales pages: status badges, collection progress."""

from decimal import Decimal

from django import template

from gendan.sales.choices import PlanStatus
from gendan.web.sales.forms import contract_status_label

register = template.Library()

# Contract, installment and quote statuses share one look per meaning.
STATUS_BADGES = {
    "draft": "text-bg-light border",
    "active": "gd-status-active",
    "fulfilled": "text-bg-success",
    "terminated": "text-bg-secondary",
    "pending": "bg-info-subtle text-info-emphasis",
    "partial": "bg-warning-subtle text-warning-emphasis",
    "paid": "bg-success-subtle text-success-emphasis",
    "overdue": "bg-danger-subtle text-danger-emphasis",
    "sent": "bg-primary-subtle text-primary-emphasis",
    "accepted": "text-bg-success",
    "rejected": "bg-danger-subtle text-danger-emphasis",
    "expired": "bg-secondary-subtle text-secondary-emphasis",
}


@register.filter
def status_badge(status) -> str:
    return STATUS_BADGES.get(str(status), "text-bg-light")


@register.filter
def percent_of(part, whole) -> int:
    """`received|percent_of:amount` → 0–100, for progress bars."""
    try:
        whole = Decimal(whole or 0)
        if whole <= 0:
            return 0
        return max(0, min(100, int(Decimal(part or 0) * 100 / whole)))
    except (ArithmeticError, TypeError, ValueError):
        return 0


@register.filter
def plan_status_label(status) -> str:
    """The label of an installment's derived status (it is a property, not a field)."""
    try:
        return str(PlanStatus(status).label)
    except ValueError:
        return str(status)


@register.filter
def contract_status(contract) -> str:
    """A contract's status in words ("Active" has a contract-specific translation)."""
    return contract_status_label(getattr(contract, "status", contract))
