"""A list's filters, declared once as a django-ninja `FilterSchema`.

The API reads one from the query string (`filters: DealFilter = Query(...)`), a list page with
`ui.lists.parse_filters(request, DealFilter)`, and the list's selector applies it to the
actor's scoped queryset with `DealFilter.of(filters).apply(queryset)`. A plain field is an
exact match on the column of its name; `FilterLookup` names another lookup; a `filter_<name>`
method builds the condition of a field that needs more (a text search, a subquery).
"""

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Self

from django.db.models import Q, QuerySet
from django.utils import timezone
from ninja import FilterSchema
from pydantic import ValidatorFunctionWrapHandler, WrapValidator, field_validator

from gendan.core.selectors import search_q
from gendan.core.validation import in_utc


class _Day:
    """Marks a moment filter whose bare date means a whole local day: `shift` days after it."""

    def __init__(self, shift: int):
        self.shift = shift


def _keep_bare_date(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A bare date ("2024-05-01") stays a date, to be read as a local day when applied."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return handler(value)


# A lower bound: a moment, or a bare date = from the start of that local day.
Since = Annotated[datetime | None, WrapValidator(_keep_bare_date), _Day(0)]
# An upper bound (exclusive): a moment, or a bare date = up to the end of that local day.
Until = Annotated[datetime | None, WrapValidator(_keep_bare_date), _Day(1)]


def local_day_start(day: date) -> datetime:
    """The aware start of `day` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ListFilter(FilterSchema):
    """The base of every list's filters; a dict of the same names is accepted as well."""

    @field_validator("*")
    @classmethod
    def _moments_in_utc(cls, value):
        """Each moment in UTC before it reaches a query (core/validation.py)."""
        return in_utc(value)

    @classmethod
    def of(cls, filters: "ListFilter | dict | None") -> Self:
        """The filters as this schema: as they are, or validated from a dict of its fields (a
        name it does not have is a mistake of the caller's, not a filter to skip)."""
        if isinstance(filters, cls):
            return filters
        values = dict(filters or {})
        unknown = values.keys() - {f.alias or n for n, f in cls.model_fields.items()}
        if unknown:
            raise TypeError(f"{cls.__name__} has no filter {', '.join(sorted(unknown))}")
        return cls.model_validate(values)

    def apply(self, queryset: QuerySet) -> QuerySet:
        condition = self.get_filter_expression()
        return queryset.filter(condition) if condition else queryset

    def get_filter_expression(self) -> Q:
        """As FilterSchema's, but a blank text is no filter and a bare date is a local day."""
        update = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, str) and not value.strip():
                update[name] = None
            elif isinstance(value, date) and not isinstance(value, datetime):
                day = next((m for m in field.metadata if isinstance(m, _Day)), None)
                if day is not None:
                    update[name] = local_day_start(value + timedelta(days=day.shift))
        if update:
            return FilterSchema.get_filter_expression(self.model_copy(update=update))
        return super().get_filter_expression()

    # `ordering` is a list's sort order, not a condition: the selector reads it.
    def filter_ordering(self, value) -> Q:
        return Q()

    @staticmethod
    def search(value: str | None, fields: tuple[str, ...], *, phone=None) -> Q:
        """`q`: one of `fields` contains it, or (a phone number) the phone starts with it."""
        return search_q(value, fields, phone=phone)
