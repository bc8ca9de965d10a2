"""Shared plumbing of the list pages: filters from the query string, sorting, pagination."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme

from gendan.core.pagination import capped_count

PAGE_SIZES = (25, 50, 100)


@dataclass
class ListPage:
    items: list
    count: int
    page: int
    page_size: int
    ordering: str
    querystring: str  # the filters, without page
    count_capped: bool = False  # more rows than `count`: shown as "10,000+"

    @property
    def pages(self) -> int:
        return max(1, (self.count + self.page_size - 1) // self.page_size)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.count_capped and len(self.items) == self.page_size)

    @property
    def first_index(self) -> int:
        return 0 if not self.items else (self.page - 1) * self.page_size + 1

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.page_size + len(self.items)


def int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def read_filters(request, *, text=(), ints=(), dates=(), choices=None) -> dict:
    """Filters from GET: text values stripped, ints parsed, dates parsed, choices checked."""
    get = request.GET
    filters = {}
    for name in text:
        value = (get.get(name) or "").strip()
        if value:
            filters[name] = value
    for name in ints:
        value = int_or_none(get.get(name))
        if value is not None:
            filters[name] = value
    for name in dates:
        value = parse_date(get.get(name) or "")
        if value is not None:
            filters[name] = value
    for name, allowed in (choices or {}).items():
        value = get.get(name)
        if value in allowed:
            filters[name] = value
    return filters


def paginate_list(request, queryset, *, default_ordering: str, filters: dict) -> ListPage:
    """Two queries whatever the page size: COUNT and one slice."""
    page = max(1, int_or_none(request.GET.get("page")) or 1)
    page_size = int_or_none(request.GET.get("page_size")) or PAGE_SIZES[0]
    if page_size not in PAGE_SIZES:
        page_size = PAGE_SIZES[0]
    count, capped = capped_count(queryset)
    pages = max(1, (count + page_size - 1) // page_size)
    page = page if capped else min(page, pages)
    offset = (page - 1) * page_size
    items = list(queryset[offset : offset + page_size])
    keep = {k: v for k, v in request.GET.items() if k not in ("page",) and v != ""}
    return ListPage(
        items=items,
        count=count,
        page=page,
        page_size=page_size,
        ordering=request.GET.get("ordering") or default_ordering,
        querystring=urlencode(keep),
        count_capped=capped,
    )


def day_start(value):
    """A date as the aware start of that day in the current time zone."""
    return timezone.make_aware(datetime.combine(value, time.min))


def date_range(filters: dict, names: tuple[str, str]) -> dict:
    """Turn `<x>_from` / `<x>_to` dates into aware datetimes; `_to` includes its whole day."""
    out = dict(filters)
    start, end = names
    if start in out:
        out[start] = day_start(out[start])
    if end in out:
        out[end] = day_start(out[end] + timedelta(days=1))
    return out


def safe_next(request, default: str) -> str:
    """The `next` the form sent back, if it points into this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
