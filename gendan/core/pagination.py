"""`{items, count}` pages for every list (DESIGN.md §4)."""

from django.conf import settings
from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


def paginate(queryset: QuerySet, page: int = 1, page_size: int = 50) -> dict:
    """Two queries whatever the page size: one COUNT and one LIMIT/OFFSET slice."""
    page_size = max(1, min(page_size, settings.GENDAN_MAX_PAGE_SIZE))
    offset = (max(page, 1) - 1) * page_size
    return {"count": queryset.count(), "items": list(queryset[offset : offset + page_size])}
