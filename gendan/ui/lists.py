"""Shared plumbing of the list pages: filters from the query string, sorting, pagination."""

from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from django.utils.http import url_has_allowed_host_and_scheme
from pydantic import BaseModel, ValidationError

from gendan.core.pagination import capped_count

PAGE_SIZES = (25, 50, 100)
S = TypeVar("S", bound=BaseModel)


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


def custom_conditions(request) -> list[str]:
    """A list page's custom field filters as `cf` conditions: `cf=<key>:<op>:<value>` as the
    API takes them, and the form inputs `cf.<key>.<op>=<value>` (a select, a range's ends)."""
    conditions = [c for c in request.GET.getlist("cf") if c.strip()]
    for name in request.GET:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "cf":
            for value in request.GET.getlist(name):
                if value.strip():
                    conditions.append(f"{parts[1]}:{parts[2]}:{value.strip()}")
    return conditions


def parse_filters(request, schema: type[S]) -> S:
    """A list's filters from the query string, as its schema (a `ninja.FilterSchema`) reads
    them: every field by its name (or alias), stripped; an empty value is no filter, and a
    value that does not parse is left out, so a hand-edited URL still shows a list."""
    raw = {}
    for name, field in schema.model_fields.items():
        key = field.alias or name
        if key == "cf":
            conditions = custom_conditions(request)
            if conditions:
                raw[key] = conditions
            continue
        value = (request.GET.get(key) or "").strip()
        if value:
            raw[key] = value
    while True:
        try:
            return schema.model_validate(raw)
        except ValidationError as exc:
            bad = {error["loc"][0] for error in exc.errors() if error["loc"]} & raw.keys()
            if not bad:
                raise
            for key in bad:
                del raw[key]


def paginate_list(request, queryset, *, default_ordering: str, filters=None) -> ListPage:
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


def safe_next(request, default: str) -> str:
    """The `next` the form sent back, if it points into this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
