"""Filter helpers shared by the list selectors."""

import re

from django.db import connection
from django.db.models import Q, QuerySet

_PHONE_MARKS = re.compile(r"[\s\-()]")


def phone_digits(q: str) -> str | None:
    """The digits of a search that is a phone number (at least 5 digits, with or without spaces,
    dashes, brackets or a leading +), else None."""
    digits = _PHONE_MARKS.sub("", q).removeprefix("+")
    return digits if len(digits) >= 5 and digits.isdigit() else None


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in a form its index answers: a range on SQLite (whose LIKE
    ignores a case-sensitive index), LIKE 'prefix%' on PostgreSQL (a pattern index)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\uffff"})
    return Q(**{f"{field}__startswith": prefix})


def search_q(q: str | None, fields: tuple[str, ...], *, phone=None) -> Q:
    """Rows where one of `fields` contains `q`. When `q` is a phone number and `phone` is given
    (a field name, or a function of the digits answering a Q), rows whose phone starts with it:
    an index lookup instead of reading every row of a big table. No condition for a blank `q`."""
    q = (q or "").strip()
    if not q:
        return Q()
    digits = phone_digits(q) if phone is not None else None
    if digits:
        return phone(digits) if callable(phone) else prefix_q(phone, digits)
    cond = Q()
    for field in fields:
        cond |= Q(**{f"{field}__icontains": q})
    return cond


def text_search(
    queryset: QuerySet, q: str | None, fields: tuple[str, ...], *, phone=None
) -> QuerySet:
    """`queryset` narrowed by `search_q`."""
    cond = search_q(q, fields, phone=phone)
    return queryset.filter(cond) if cond else queryset


def exact_filters(queryset: QuerySet, filters: dict, fields: tuple[str, ...]) -> QuerySet:
    values = {f: filters[f] for f in fields if filters.get(f) not in (None, "")}
    return queryset.filter(**values) if values else queryset


def range_filters(queryset: QuerySet, filters: dict, ranges: dict[str, str]) -> QuerySet:
    """`ranges` maps a filter name like `created_from` to a lookup like `created_at__gte`."""
    values = {lookup: filters[name] for name, lookup in ranges.items() if filters.get(name)}
    return queryset.filter(**values) if values else queryset


def ordered(queryset: QuerySet, ordering: str | None, allowed: tuple[str, ...], default: str):
    key = ordering if ordering and ordering.lstrip("-") in allowed else default
    return queryset.order_by(key, "-id" if key.startswith("-") else "id")
