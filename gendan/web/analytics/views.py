"""Dashboards (报表): the manager's and the rep's, drawn with ECharts from the report selectors'
numbers embedded in the page."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gendan.analytics.dashboard import dashboard
from gendan.analytics.metrics import grouping
from gendan.analytics.metrics.filters import PERIODS, local_midnight, metric_filter
from gendan.analytics.schemas import ReportFilter, WeeklyFilter
from gendan.analytics.weekly import weekly_review
from gendan.analytics.weekly_pdf import weekly_pdf
from gendan.analytics.weekly_send import pdf_filename
from gendan.core.errors import ValidationFailed
from gendan.deals import selectors as deal_selectors
from gendan.fields import display as field_display
from gendan.fields import filters as custom_filters
from gendan.fields import selectors as field_selectors
from gendan.fields.choices import FieldType, RecordType
from gendan.leads.choices import LeadSource
from gendan.org.choices import Scope
from gendan.org.models import Team, User
from gendan.org.scoping import assignable_user_ids_q, effective_scope, team_ids
from gendan.ui.lists import parse_filters


def _period_labels():
    return [
        ("this_week", _("This week")),
        ("last_week", _("Last week")),
        ("this_month", _("This month")),
        ("last_month", _("Last month")),
        ("this_quarter", _("This quarter")),
        ("last_quarter", _("Last quarter")),
        ("this_year", _("This year")),
        ("last_year", _("Last year")),
    ]


def deal_fields(request) -> list:
    """The deals' custom fields the reader may see, read once for the whole page."""
    fields = field_selectors.read_once(request, RecordType.DEAL)
    return [f for f in fields if field_selectors.may_see(request.user, f)]


def read_report_filters(request, *, owner_id=None) -> tuple[dict, object, dict]:
    """(the form's values, the MetricFilter, errors) from the query string. Conditions on
    the deals' custom fields that the reader may not use are dropped, as a list page does."""
    values = parse_filters(request, ReportFilter).model_dump(
        by_alias=True, exclude_none=True, exclude={"format"}
    )
    fields = deal_fields(request)
    values["cf"] = custom_filters.usable(
        RecordType.DEAL, values.get("cf"), actor=request.user, fields=fields
    )
    if not values["cf"]:
        values.pop("cf")
    if values.get("period") not in PERIODS:
        values.pop("period", None)
    if owner_id is not None:
        values["owner_id"] = owner_id
        values.pop("team_id", None)
    errors = {}
    try:
        f = metric_filter(
            period=values.get("period"),
            date_from=values.get("from"),
            date_to=values.get("to"),
            team_id=values.get("team_id"),
            owner_id=values.get("owner_id"),
            pipeline_id=values.get("pipeline_id"),
            source=values.get("source"),
            cf=values.get("cf", ()),
            viewer=request.user,
            deal_fields=fields,
        )
    except ValidationFailed as exc:
        errors = {k: str(v) for k, v in exc.errors.items()}
        values.pop("from", None)
        values.pop("to", None)
        f = metric_filter(
            period=values.get("period"),
            team_id=values.get("team_id"),
            owner_id=values.get("owner_id"),
            source=values.get("source"),
            cf=values.get("cf", ()),
            viewer=request.user,
            deal_fields=fields,
        )
    return values, f, errors


def _teams(user) -> list:
    if effective_scope(user) == Scope.ALL:
        return list(Team.objects.order_by("name"))
    return list(Team.objects.filter(pk__in=team_ids(user)).order_by("name"))


def _chart_labels() -> dict:
    """The words the charts draw, in the reader's language."""
    return {
        "reached": _("Deals reached"),
        "amount": _("Amount"),
        "to_next": _("To next stage"),
        "to_won": _("To won"),
        "lead_conversion_rate": _("Lead conversion"),
        "win_rate": _("Win rate"),
        "mean": _("Mean"),
        "median": _("Median"),
        "p90": _("P90"),
        "days": _("days"),
        "weighted_amount": _("Weighted amount"),
        "won_amount": _("Won"),
        "overdue": _("Overdue"),
        "deals_won": _("Deals won"),
        "target": _("Target"),
        "actual": _("Actual"),
        "no_data": _("No data for this period."),
        "open_list": _("Click a bar to open the records behind it."),
    }


def _custom_choices(request) -> tuple[list, list]:
    """(the deals' choice fields the page filters by, each with its options; the fields the
    funnel may be grouped by), of those the reader may see."""
    groupable = grouping.groupable_fields(request.user, deal_fields(request))
    filters = [
        {
            "key": f.key,
            "label": field_display.label(f),
            "options": [(c["value"], field_display.choice_label(c)) for c in f.choices or []],
        }
        for f in groupable
        if f.type == FieldType.CHOICE
    ]
    groups = [(f"custom.{f.key}", field_display.label(f)) for f in groupable]
    return filters, groups


def _group_by(request, groups) -> str | None:
    """The grouping asked for, when the page offers it (else none, as a list drops a value
    of its URL that it cannot use)."""
    asked = (request.GET.get("group_by") or "").strip()
    return asked if asked in {code for code, _label in groups} else None


def _export_query(values: dict, group_by: str | None) -> str:
    """The funnel report's API query for the page's filters (for its downloads)."""
    params = {k: v for k, v in values.items() if k != "cf"}
    params.update({"cf": list(values.get("cf", ())), "group_by": group_by or ""})
    return urlencode({k: v for k, v in params.items() if v not in ("", None, [])}, doseq=True)


def _render(request, *, mine: bool):
    user = request.user
    values, f, errors = read_report_filters(request, owner_id=user.pk if mine else None)
    custom_filters_shown, groups = _custom_choices(request)
    group_by = _group_by(request, groups)
    data = dashboard(actor=user, f=f, mine=mine, group_by=group_by)
    chosen = dict(
        (key, value)
        for key, op, value in map(custom_filters.parse, values.get("cf", ()))
        if op == "eq"
    )
    owner_q = assignable_user_ids_q(user)
    context = {
        "mine": mine,
        "show_team": effective_scope(user) in (Scope.TEAM, Scope.ALL),
        "data": data,
        "values": values,
        "errors": errors,
        "period_from": f.start_date,
        "period_to": f.end_date - timedelta(days=1),
        "periods": _period_labels(),
        "sources": LeadSource.choices,
        "pipelines": list(deal_selectors.pipeline_list(actor=user)),
        "teams": [] if mine else _teams(user),
        "owners": []
        if mine or not owner_q
        else list(User.objects.filter(owner_q).order_by("username")),
        "labels": _chart_labels(),
        "custom_filters": [{**c, "chosen": chosen.get(c["key"], "")} for c in custom_filters_shown],
        "groups": groups,
        "group_by": group_by,
        "export_query": _export_query(values, group_by),
    }
    return render(request, "analytics/dashboard.html", context)


@require_GET
@login_required
def manager_dashboard(request):
    """The team's numbers; someone who sees only their own records gets their own dashboard."""
    if effective_scope(request.user) in (None, Scope.OWN):
        query = request.GET.urlencode()
        return redirect("reports:mine" if not query else f"/reports/me/?{query}")
    return _render(request, mine=False)


@require_GET
@login_required
def rep_dashboard(request):
    """The reader's own numbers, with the leaderboard of everyone they may see."""
    return _render(request, mine=True)


# The weekly review -----------------------------------------------------------------------------


def _weekly(request) -> tuple[dict, dict]:
    """The review the query string asks for (`at`: a date in the week after the one reviewed;
    `team_id`) and the form's values."""
    values = parse_filters(request, WeeklyFilter).model_dump(exclude_none=True)
    at = values.get("at")
    moment = local_midnight(at) if at else None
    team_id = values.get("team_id") if effective_scope(request.user) != Scope.OWN else None
    return weekly_review(actor=request.user, at=moment, team_id=team_id), values


@require_GET
@login_required
def weekly_page(request):
    review, values = _weekly(request)
    week = review["week"]["from"]
    today = timezone.localdate()
    context = {
        "review": review,
        "values": values,
        "teams": _teams(request.user),
        "previous_at": week,
        # the following week, once it has ended
        "next_at": week + timedelta(days=14) if week + timedelta(days=14) <= today else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "analytics/weekly.html", context)


@require_GET
@login_required
def weekly_pdf_download(request):
    review, values = _weekly(request)
    team = Team.objects.filter(pk=review["team_id"]).first() if review["team_id"] else None
    pdf = weekly_pdf(review, scope_name=team.name if team else "")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(review)}"'
    return response
