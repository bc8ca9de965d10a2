"""Figures of the weekly review page: `{{ x|figure:"money" }}`, `{{ cmp.delta|change:"rate" }}`
and `{{ cmp|trend }}` (up, down or flat, for the colour)."""

from django import template

from gendan.analytics.weekly_text import delta, number

register = template.Library()


@register.filter
def figure(value, kind: str = "count") -> str:
    return number(value, kind)


@register.filter
def change(value, kind: str = "count") -> str:
    return delta(value, kind)


@register.filter
def trend(cmp) -> str:
    value = (cmp or {}).get("delta")
    if not value:
        return "flat"
    return "up" if value > 0 else "down"
