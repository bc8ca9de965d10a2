"""Filter helpers shared by the list selectors."""

from django.db.models import Q, QuerySet


def text_search(queryset: QuerySet, q: str | None, fields: tuple[str, ...]) -> QuerySet:
    q = (q or "").strip()
    if not q:
        return queryset
    cond = Q()
    for field in fields:
        cond |= Q(**{f"{field}__icontains": q})
    return queryset.filter(cond)


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
