"""The filter every metric accepts: a period, and team / owner / pipeline / source, and on the
deals' reports the deals' custom fields (`cf`, as the deal list takes them: `segment:in:a|b`).

A period is a half-open interval [start, end) of aware datetimes in `settings.TIME_ZONE`;
named periods (this/last week, month, quarter, year) are computed from the local date.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed
from gendan.deals.models import Deal
from gendan.fields.choices import RecordType
from gendan.fields.filters import custom_filtered
from gendan.fields.selectors import visible_definitions
from gendan.org.scoping import members_q, team_subtree_ids

PERIODS = (
    "this_week",
    "last_week",
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "this_year",
    "last_year",
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def named_period(name: str, today: date) -> tuple[date, date]:
    """[first day, day after the last) of a named period around `today`."""
    if name in ("this_week", "last_week"):
        start = today - timedelta(days=today.weekday())
        if name == "last_week":
            start -= timedelta(days=7)
        return start, start + timedelta(days=7)
    if name in ("this_month", "last_month"):
        start = add_months(month_start(today), -1 if name == "last_month" else 0)
        return start, add_months(start, 1)
    if name in ("this_quarter", "last_quarter"):
        start = add_months(quarter_start(today), -3 if name == "last_quarter" else 0)
        return start, add_months(start, 3)
    if name in ("this_year", "last_year"):
        year = today.year - (1 if name == "last_year" else 0)
        return date(year, 1, 1), date(year + 1, 1, 1)
    raise ValidationFailed(errors={"period": _("Unknown period.")})


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


@dataclass
class MetricFilter:
    """What a report is about. `start_date`/`end_date` are local dates, end exclusive."""

    start_date: date
    end_date: date
    team_id: int | None = None
    owner_id: int | None = None
    pipeline_id: int | None = None
    source: str | None = None
    team_member_teams: set[int] | frozenset[int] = field(default_factory=set)
    # Conditions on the deals' custom fields, checked against what `viewer` may see.
    cf: tuple[str, ...] = ()
    viewer: object = None
    # The deals' field definitions the viewer may see, when already read (None: not read).
    deal_fields: tuple | None = None

    @property
    def start(self) -> datetime:
        return local_midnight(self.start_date)

    @property
    def end(self) -> datetime:
        return local_midnight(self.end_date)

    def as_dict(self) -> dict:
        return {
            "from": self.start_date.isoformat(),
            "to": (self.end_date - timedelta(days=1)).isoformat(),
            "team_id": self.team_id,
            "owner_id": self.owner_id,
            "pipeline_id": self.pipeline_id,
            "source": self.source,
            "cf": list(self.cf),
        }

    # Applying the filter -------------------------------------------------------------------

    def in_period(self, queryset: QuerySet, field_name: str, *, is_date: bool = False):
        if is_date:
            return queryset.filter(
                **{f"{field_name}__gte": self.start_date, f"{field_name}__lt": self.end_date}
            )
        return queryset.filter(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})

    def people(self, queryset: QuerySet, owner_path: str = "owner") -> QuerySet:
        """Team (with its sub-teams) and owner on the record's owning user."""
        if self.owner_id:
            queryset = queryset.filter(**{f"{owner_path}_id": self.owner_id})
        if self.team_id:
            queryset = queryset.filter(members_q(f"{owner_path}_id", self.team_member_teams))
        return queryset

    def deals(self, queryset: QuerySet, deal_path: str = "") -> QuerySet:
        """Owner/team plus pipeline and source (the source of the deal's lead) on deals."""
        prefix = f"{deal_path}__" if deal_path else ""
        queryset = self.people(queryset, f"{prefix}owner")
        if self.pipeline_id:
            queryset = queryset.filter(**{f"{prefix}pipeline_id": self.pipeline_id})
        if self.source:
            queryset = queryset.filter(**{f"{prefix}lead__source": self.source})
        if self.cf and deal_path:
            matching = self.custom_deals(Deal.objects.all())
            queryset = queryset.filter(**{f"{deal_path}__in": matching})
        elif self.cf:
            queryset = self.custom_deals(queryset)
        return queryset

    def custom_deals(self, queryset: QuerySet) -> QuerySet:
        """The deals whose custom values meet `cf` (ValidationFailed naming `cf.<key>` for a
        field the viewer may not see, or a value it cannot hold)."""
        fields = None if self.deal_fields is None else list(self.deal_fields)
        return custom_filtered(
            queryset, RecordType.DEAL, list(self.cf), actor=self.viewer, fields=fields
        )

    def leads(self, queryset: QuerySet) -> QuerySet:
        queryset = self.people(queryset)
        if self.source:
            queryset = queryset.filter(source=self.source)
        return queryset

    def contracts(self, queryset: QuerySet, contract_path: str = "") -> QuerySet:
        """Owner/team on the contract's owner; pipeline and source through its deal."""
        prefix = f"{contract_path}__" if contract_path else ""
        queryset = self.people(queryset, f"{prefix}owner")
        if self.pipeline_id:
            queryset = queryset.filter(**{f"{prefix}deal__pipeline_id": self.pipeline_id})
        if self.source:
            queryset = queryset.filter(**{f"{prefix}deal__lead__source": self.source})
        return queryset

    def users_q(self) -> Q:
        """The same owner/team restriction, on the User table."""
        q = Q()
        if self.owner_id:
            q &= Q(pk=self.owner_id)
        if self.team_id:
            q &= Q(team_id__in=self.team_member_teams)
        return q


def metric_filter(
    *,
    period: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    team_id: int | None = None,
    owner_id: int | None = None,
    pipeline_id: int | None = None,
    source: str | None = None,
    default_period: str = "this_month",
    today: date | None = None,
    cf: list[str] | tuple[str, ...] = (),
    viewer=None,
    deal_fields=None,
) -> MetricFilter:
    """Build the filter from request parameters. `from`/`to` (inclusive dates) win over a named
    period; with neither, `default_period` applies. `cf`: conditions on the deals' custom
    fields, as `viewer` may use them (the deals' reports apply them); `deal_fields`: the deals'
    definitions `viewer` may see, when the caller has read them (else read once here)."""
    today = today or timezone.localdate()
    if date_from or date_to:
        start = date_from or date(today.year, 1, 1)
        end = (date_to or today) + timedelta(days=1)
        if end <= start:
            raise ValidationFailed(errors={"to": _("The end date is before the start date.")})
    else:
        if period and period not in PERIODS:
            raise ValidationFailed(
                errors={"period": _("Unknown period. Use one of: %s.") % ", ".join(PERIODS)}
            )
        start, end = named_period(period or default_period, today)
    return MetricFilter(
        start_date=start,
        end_date=end,
        team_id=team_id,
        owner_id=owner_id,
        pipeline_id=pipeline_id,
        source=source or None,
        team_member_teams=team_subtree_ids(team_id) if team_id else set(),
        cf=tuple(c for c in cf or () if c),
        viewer=viewer,
        deal_fields=_deal_fields(viewer, cf, deal_fields),
    )


def _deal_fields(viewer, cf, fields) -> tuple | None:
    """The deals' definitions the viewer may see, read once for every report of a request."""
    if fields is not None:
        return tuple(fields)
    return tuple(visible_definitions(viewer, RecordType.DEAL)) if cf else None
