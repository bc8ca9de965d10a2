"""Formatting filters every page uses: links to records, money, relative ages, names."""

import html

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from gendan.core.money import cents, reporting_currency
from gendan.ui import labels

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
        # The standard library's escape, as Django's is, without its per-call lazy-text check.
        options.append(f'<option value="{pk}"{mark}>{html.escape(user.name)}</option>')
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
def money(value, currency: str = "") -> str:
    """An amount with its currency's sign; without a currency, the reporting currency's."""
    if value is None or value == "":
        return "—"
    amount = cents(value)
    currency = currency or reporting_currency()
    sign = CURRENCY_SIGNS.get(currency, f"{currency} ")
    return f"{sign}{amount:,.2f}"


@register.filter
def total_money(total: dict) -> str:
    """A total in the reporting currency, then each other currency apart ("¥1,000.00 + $20.00"):
    amounts of different currencies are never added."""
    parts = [money(total["amount"])]
    parts += [money(other["amount"], other["currency"]) for other in total.get("other_amounts", ())]
    return " + ".join(parts)


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
def choice_label(record, name: str) -> str:
    """`{{ lead|choice_label:"status" }}`: a choice field's label, looked up once per value
    and language (ui.labels), as the lists show it."""
    return labels.choice_label(record, name)


@register.filter
def local_name(obj) -> str:
    """A pipeline's or stage's name in the reader's language (`name_zh` for Chinese)."""
    if obj is None:
        return ""
    name_zh = getattr(obj, "name_zh", "") if not isinstance(obj, dict) else obj.get("name_zh")
    name = getattr(obj, "name", "") if not isinstance(obj, dict) else obj.get("name")
    if name_zh and (get_language() or "").startswith("zh"):
        return name_zh
    return name or name_zh or ""
