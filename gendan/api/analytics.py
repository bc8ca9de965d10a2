"""Reports under /api/v1/reports/ and targets under /api/v1/targets."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from gendan.analytics import selectors, services
from gendan.analytics.export import download
from gendan.analytics.metrics.filters import metric_filter
from gendan.analytics.metrics.followups import DEFAULT_SLA_HOURS
from gendan.analytics.metrics.performance import WON_AMOUNT
from gendan.analytics.reports import REPORTS
from gendan.analytics.schemas import (
    ReportFilter,
    TargetFilter,
    TargetIn,
    TargetOut,
    TargetPatch,
)
from gendan.api.auth import actor, expected_version
from gendan.core.errors import ValidationFailed
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data

reports_router = Router(tags=["reports"])
targets_router = Router(tags=["targets"])


def _report(request: HttpRequest, name: str, filters: ReportFilter, **options):
    report = REPORTS[name]
    fmt = (filters.format or "json").lower()
    if fmt not in ("json", "csv", "xlsx"):
        raise ValidationFailed(errors={"format": _("Use json, csv or xlsx.")})
    f = metric_filter(
        period=filters.period,
        date_from=filters.date_from,
        date_to=filters.date_to,
        team_id=filters.team_id,
        owner_id=filters.owner_id,
        pipeline_id=filters.pipeline_id,
        source=filters.source,
        default_period=report.default_period,
        cf=filters.cf,
        viewer=actor(request),
    )
    data = report.compute(actor(request), f, **options)
    if fmt != "json":
        headers, rows = report.table(data)
        return download(name, fmt, headers, rows)
    return {"report": name, "filters": f.as_dict(), **data}


@reports_router.get("/funnel")
def report_funnel(
    request: HttpRequest, filters: ReportFilter = Query(...), group_by: str | None = None
):
    """Deals created in the period, per stage: reached (or beyond), conversions, amounts;
    `group_by=custom.<key>` (a choice, yes / no or user field of the deals) adds one funnel
    per value of the field, and one for the deals without a value."""
    return _report(request, "funnel", filters, group_by=group_by)


@reports_router.get("/conversion")
def report_conversion(
    request: HttpRequest, filters: ReportFilter = Query(...), group_by: str = "owner"
):
    """Lead → deal and deal → won, grouped by owner, source or month."""
    return _report(request, "conversion", filters, group_by=group_by)


@reports_router.get("/stage-durations")
def report_stage_durations(request: HttpRequest, filters: ReportFilter = Query(...)):
    """Mean, median and p90 days per stay in each stage."""
    return _report(request, "stage-durations", filters)


@reports_router.get("/cycle")
def report_cycle(request: HttpRequest, filters: ReportFilter = Query(...), basis: str = "deal"):
    """Days from deal (or lead) creation to won, for deals won in the period."""
    return _report(request, "cycle", filters, basis=basis)


@reports_router.get("/response")
def report_response(
    request: HttpRequest, filters: ReportFilter = Query(...), sla_hours: float = DEFAULT_SLA_HOURS
):
    """Hours from lead creation to first follow-up; share answered within the SLA."""
    return _report(request, "response", filters, sla_hours=sla_hours)


@reports_router.get("/activity")
def report_activity(request: HttpRequest, filters: ReportFilter = Query(...)):
    """Follow-ups per rep by channel and outcome."""
    return _report(request, "activity", filters)


@reports_router.get("/churn")
def report_churn(request: HttpRequest, filters: ReportFilter = Query(...)):
    """Customers churned in the period over customers active at its start."""
    return _report(request, "churn", filters)


@reports_router.get("/collections")
def report_collections(request: HttpRequest, filters: ReportFilter = Query(...)):
    """Planned vs received, collection rate, overdue amounts by age."""
    return _report(request, "collections", filters)


@reports_router.get("/forecast")
def report_forecast(request: HttpRequest, filters: ReportFilter = Query(...)):
    """Deals by expected close month: amount and weighted amount (default period: this year)."""
    return _report(request, "forecast", filters)


@reports_router.get("/targets")
def report_targets(request: HttpRequest, filters: ReportFilter = Query(...)):
    """Targets overlapping the period: target, actual and attainment."""
    return _report(request, "targets", filters)


@reports_router.get("/leaderboard")
def report_leaderboard(
    request: HttpRequest, filters: ReportFilter = Query(...), metric: str = WON_AMOUNT
):
    """Everyone with numbers in the period, ranked by `metric`."""
    return _report(request, "leaderboard", filters, metric=metric)


@reports_router.get("/lost-reasons")
def report_lost_reasons(request: HttpRequest, filters: ReportFilter = Query(...)):
    """Deals lost in the period by reason."""
    return _report(request, "lost-reasons", filters)


# Targets ---------------------------------------------------------------------------------------


@targets_router.get("", response=Page[TargetOut])
def target_list(
    request: HttpRequest, filters: TargetFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.target_list(actor=actor(request), filters=filters.model_dump())
    return paginate(qs, page.page, page.page_size)


@targets_router.post("", response={201: TargetOut})
def target_create(request: HttpRequest, payload: TargetIn):
    target = services.target_create(actor=actor(request), data=payload.model_dump())
    return Status(201, selectors.target_get(actor=actor(request), target_id=target.pk))


@targets_router.get("/{target_id}", response=TargetOut)
def target_detail(request: HttpRequest, target_id: int):
    return selectors.target_get(actor=actor(request), target_id=target_id)


@targets_router.patch("/{target_id}", response=TargetOut)
def target_update(request: HttpRequest, target_id: int, payload: TargetPatch):
    data, version = patch_data(payload)
    services.target_update(
        actor=actor(request),
        target_id=target_id,
        data=data,
        version=expected_version(request, version),
    )
    return selectors.target_get(actor=actor(request), target_id=target_id)


@targets_router.delete("/{target_id}", response={204: None})
def target_delete(request: HttpRequest, target_id: int):
    services.target_delete(actor=actor(request), target_id=target_id)
    return Status(204, None)
