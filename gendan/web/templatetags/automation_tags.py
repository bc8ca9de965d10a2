"""Filters for automation pages and risk badges: rules in words, risk reasons translated."""

from django import template

from gendan.automation import describe
from gendan.core.risk import reasons_out

register = template.Library()


@register.filter
def trigger_text(rule) -> str:
    return describe.trigger_text(rule.trigger, rule.object)


@register.filter
def condition_text(cond, obj: str = "") -> str:
    """A condition in words; `obj`, the rule's object, names its custom fields by label."""
    return describe.condition_text(cond, obj)


@register.filter
def action_text(action, obj: str = "") -> str:
    return describe.action_text(action, obj)


@register.filter
def risk_reasons(reasons) -> list[dict]:
    """Stored risk reasons with their text in the reader's language."""
    return reasons_out(reasons)


@register.filter
def risk_reasons_title(reasons) -> str:
    return "; ".join(item["text"] for item in reasons_out(reasons))


@register.filter
def run_link(run) -> str:
    return describe.record_link(run.object_type, run.object_id)
