"""`{items, count}` pages for every list (DESIGN.md §4)."""

from django.conf import settings
from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


def counted_per_row(queryset: QuerySet) -> bool:
    """Whether the list is filtered by a value the count must compute from each row: an
    expression (such as a custom field's value, read out of the record's JSON) that says so
    with `counted_per_row = True`."""
    return any(
        getattr(expression, "counted_per_row", False)
        for expression in queryset.query.annotations.values()
    )


def capped_count(queryset: QuerySet) -> tuple[int, bool]:
    """The number of rows, counted up to `GENDAN_COUNT_LIMIT`: (count, whether there are more).

    Counting every row of a list of hundreds of thousands costs more than the page itself; past
    the limit a list says "10,000+" and its pages go on as far as the rows do. A list filtered
    by values read from each row (custom fields) counts up to `GENDAN_CUSTOM_COUNT_LIMIT`: an
    index finds its rows, but each row counted is then read and its values parsed."""
    limit = settings.GENDAN_COUNT_LIMIT
    if counted_per_row(queryset):
        limit = min(limit, settings.GENDAN_CUSTOM_COUNT_LIMIT)
    count = queryset.order_by()[: limit + 1].count()
    return (limit, True) if count > limit else (count, False)


def paginate(queryset: QuerySet, page: int = 1, page_size: int = 50) -> dict:
    """Two queries whatever the page size: one (capped) COUNT and one LIMIT/OFFSET slice."""
    page_size = max(1, min(page_size, settings.GENDAN_MAX_PAGE_SIZE))
    offset = (max(page, 1) - 1) * page_size
    count, more = capped_count(queryset)
    return {
        "count": count,
        "count_capped": more,
        "items": list(queryset[offset : offset + page_size]),
    }
