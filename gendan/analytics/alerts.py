"""Threshold alerts (告警): a metric over the last days compared with a threshold, evaluated once
a day; when it crosses, the users with the responsible role in scope are notified with the
suggested action.

The metric values come from the shared metric selectors over a rolling window
[evaluation day − window_days, evaluation day), for each team (the team and its sub-teams) or
for the whole organisation.
"""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Window
from django.db.models.functions import Coalesce, Lag
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gendan.activities.choices import NotificationKind
from gendan.activities.models import Activity
from gendan.activities.notifications import notify
from gendan.analytics.choices import RATE_METRICS, AlertMetric, AlertScope, Comparator
from gendan.analytics.metrics import conversion, customers, followups
from gendan.analytics.metrics import pipeline as deals
from gendan.analytics.metrics.common import days
from gendan.analytics.metrics.filters import MetricFilter, metric_filter
from gendan.analytics.models import AlertEvaluation, AlertFiring, AlertRule
from gendan.core.errors import NotFound, PermissionDenied, ValidationFailed
from gendan.org.models import Team, User
from gendan.org.permissions import can
from gendan.org.scoping import team_subtree_ids
from gendan.org.system import system_actor

# The standard playbook's defaults.
DEFAULT_ALERTS = (
    {
        "name": "Lead conversion below 8 %",
        "metric": AlertMetric.LEAD_CONVERSION,
        "comparator": Comparator.LT,
        "threshold": Decimal("0.08"),
        "action": "Review lead quality by source with marketing; tighten qualification.",
    },
    {
        "name": "Win rate below 15 %",
        "metric": AlertMetric.WIN_RATE,
        "comparator": Comparator.LT,
        "threshold": Decimal("0.15"),
        "action": "Go through recent lost deals and their reasons; coach on discovery and pricing.",
    },
    {
        "name": "More than 7 days between follow-ups",
        "metric": AlertMetric.FOLLOW_UP_GAP_DAYS,
        "comparator": Comparator.GT,
        "threshold": Decimal("7"),
        "action": "Check each rep's open deals for overdue follow-ups and set next steps.",
    },
    {
        "name": "Churn above 12 %",
        "metric": AlertMetric.CHURN,
        "comparator": Comparator.GT,
        "threshold": Decimal("0.12"),
        "action": "Call the at-risk customers; plan visits with account managers.",
    },
    {
        "name": "Sales cycle longer than 30 days",
        "metric": AlertMetric.CYCLE_DAYS,
        "comparator": Comparator.GT,
        "threshold": Decimal("30"),
        "action": "Find the stage where deals stay longest and agree on exit criteria.",
    },
    {
        "name": "Median first response over 2 hours",
        "metric": AlertMetric.FIRST_RESPONSE_HOURS,
        "comparator": Comparator.GT,
        "threshold": Decimal("2"),
        "action": "Check lead assignment and the SDRs' queue; call new leads first.",
    },
)


# Metric values ---------------------------------------------------------------------------------


def follow_up_gap_days(*, actor, f: MetricFilter) -> float | None:
    """Mean days between consecutive follow-ups on the same record (lead, customer, deal or
    contract), for follow-ups in the period; the previous one may be up to a year earlier."""
    subject = Coalesce(F("deal_id"), F("contract_id"), F("customer_id"), F("lead_id"))
    acts = f.people(Activity.objects.visible_to(actor)).filter(
        occurred_at__lt=f.end, occurred_at__gte=f.start - timedelta(days=365)
    )
    rows = acts.annotate(
        previous=Window(
            Lag("occurred_at"),
            partition_by=[F("subject_type"), subject],
            order_by=[F("occurred_at").asc(), F("id").asc()],
        )
    ).values("occurred_at", "previous")
    sql, params = rows.query.sql_with_params()
    start = connection.ops.adapt_datetimefield_value(f.start)
    if connection.vendor == "postgresql":
        seconds = "EXTRACT(EPOCH FROM (s.occurred_at - s.previous))"
    else:
        seconds = "(julianday(s.occurred_at) - julianday(s.previous)) * 86400.0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT AVG({seconds}) FROM ({sql}) AS s "
            "WHERE s.previous IS NOT NULL AND s.occurred_at >= %s",
            (*params, start),
        )
        (mean,) = cursor.fetchone()
    return days(float(mean)) if mean is not None else None


def metric_value(metric: str, *, actor, f: MetricFilter) -> float | None:
    """The alert metric over the filter; None when there is nothing to measure."""
    if metric == AlertMetric.LEAD_CONVERSION:
        return conversion.conversion(actor=actor, f=f, group_by="source")["lead_conversion_rate"]
    if metric == AlertMetric.WIN_RATE:
        return conversion.conversion(actor=actor, f=f, group_by="source")["win_rate"]
    if metric == AlertMetric.CHURN:
        return customers.churn(actor=actor, f=f)["churn_rate"]
    if metric == AlertMetric.CYCLE_DAYS:
        return deals.cycle(actor=actor, f=f)["mean_days"]
    if metric == AlertMetric.FIRST_RESPONSE_HOURS:
        return followups.response(actor=actor, f=f)["median_hours"]
    if metric == AlertMetric.FOLLOW_UP_GAP_DAYS:
        return follow_up_gap_days(actor=actor, f=f)
    raise ValueError(metric)


def crossed(rule: AlertRule, value) -> bool:
    if value is None:
        return False
    value = Decimal(str(value))
    return value < rule.threshold if rule.comparator == Comparator.LT else value > rule.threshold


def format_value(metric: str, value) -> str:
    if value is None:
        return "—"
    if metric in RATE_METRICS:
        return f"{float(value) * 100:.1f}%"
    if metric == AlertMetric.FIRST_RESPONSE_HOURS:
        return _("%(n)s h") % {"n": f"{float(value):.1f}"}
    return _("%(n)s days") % {"n": f"{float(value):.1f}"}


# Evaluation ------------------------------------------------------------------------------------


def _recipients(rule: AlertRule, team: Team | None) -> list[User]:
    users = User.objects.filter(is_active=True, role__code=rule.role_code)
    if team is None:
        return list(users)
    subtree = team_subtree_ids(team.pk)
    return list(users.filter(Q(team_id__in=subtree) | Q(managed_teams__in=subtree)).distinct())


def _message(rule: AlertRule, value, team: Team | None) -> str:
    where = team.name if team else _("Organisation")
    return _("%(where)s: %(metric)s is %(value)s (%(comparator)s %(threshold)s). %(action)s") % {
        "where": where,
        "metric": rule.get_metric_display(),
        "value": format_value(rule.metric, value),
        "comparator": rule.get_comparator_display(),
        "threshold": format_value(rule.metric, rule.threshold),
        "action": rule.action,
    }


def _teams_to_check() -> list[Team]:
    """Teams that have someone to measure."""
    return list(Team.objects.filter(members__isnull=False).distinct().order_by("id"))


def alerts_evaluate(*, at=None, force: bool = False) -> dict:
    """Evaluate every enabled alert for the local day of `at` (default now), once per day: a
    second call on the same day does nothing (unless `force`, which still never notifies twice
    for the same alert, day and team). Returns {"date", "skipped", "checked", "fired"}."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    try:
        with transaction.atomic():
            evaluation = AlertEvaluation.objects.create(date=day, evaluated_at=at)
    except IntegrityError:
        if not force:
            return {"date": day.isoformat(), "skipped": True, "checked": 0, "fired": 0}
        evaluation = AlertEvaluation.objects.get(date=day)
    actor = system_actor()
    checked = fired = 0
    teams = None
    with override(None):  # messages in the source language; the notification list translates
        for rule in AlertRule.objects.filter(enabled=True).order_by("id"):
            start = day - timedelta(days=rule.window_days)
            f = metric_filter(date_from=start, date_to=day - timedelta(days=1))
            if rule.scope == AlertScope.ORG:
                scopes = [None]
            else:
                teams = teams if teams is not None else _teams_to_check()
                scopes = teams
            for team in scopes:
                tf = (
                    f
                    if team is None
                    else replace(f, team_id=team.pk, team_member_teams=team_subtree_ids(team.pk))
                )
                value = metric_value(rule.metric, actor=actor, f=tf)
                checked += 1
                if not crossed(rule, value):
                    continue
                fired += _fire(rule, day, team, value)
    evaluation.firings = AlertFiring.objects.filter(date=day).count()
    evaluation.save(update_fields=["firings"])
    return {"date": day.isoformat(), "skipped": False, "checked": checked, "fired": fired}


def _fire(rule: AlertRule, day, team: Team | None, value) -> int:
    try:
        with transaction.atomic():
            firing = AlertFiring.objects.create(
                alert=rule,
                date=day,
                team=team,
                value=Decimal(str(value)).quantize(Decimal("0.0001")),
                threshold=rule.threshold,
            )
            sent = notify(
                recipients=_recipients(rule, team),
                kind=NotificationKind.ALERT,
                message=_message(rule, value, team),
                data={
                    "alert_id": rule.pk,
                    "metric": rule.metric,
                    "value": float(value),
                    "threshold": float(rule.threshold),
                    "team_id": team.pk if team else None,
                    "date": day.isoformat(),
                    "action": rule.action,
                },
            )
            firing.notified = len(sent)
            firing.save(update_fields=["notified"])
    except IntegrityError:  # already fired today for this scope
        return 0
    return 1


# Managing alerts -------------------------------------------------------------------------------

FIELDS = ("name", "metric", "comparator", "threshold", "scope", "role_code", "action")
FIELDS += ("window_days", "enabled")


def require_alert_manager(actor) -> None:
    if not can(actor, "manage_alerts"):
        raise PermissionDenied(_("Only a sales manager or an administrator can manage alerts."))


def _check(data: dict) -> None:
    errors = {}
    threshold = data.get("threshold")
    if threshold is not None:
        if threshold < 0:
            errors["threshold"] = _("Must be 0 or more.")
        elif data.get("metric") in RATE_METRICS and threshold > 1:
            errors["threshold"] = _("A rate is a fraction between 0 and 1 (0.08 = 8 %).")
    window = data.get("window_days")
    if window is not None and not 1 <= window <= 366:
        errors["window_days"] = _("Between 1 and 366 days.")
    if errors:
        raise ValidationFailed(errors=errors)


@transaction.atomic
def alert_create(*, actor, data: dict) -> AlertRule:
    require_alert_manager(actor)
    _check(data)
    return AlertRule.objects.create(**{k: v for k, v in data.items() if k in FIELDS})


@transaction.atomic
def alert_update(*, actor, alert_id: int, data: dict) -> AlertRule:
    require_alert_manager(actor)
    rule = AlertRule.objects.select_for_update().filter(pk=alert_id).first()
    if rule is None:
        raise NotFound()
    merged = {k: getattr(rule, k) for k in FIELDS} | data
    _check(merged)
    for key, value in data.items():
        if key in FIELDS:
            setattr(rule, key, value)
    rule.save()
    return rule


@transaction.atomic
def alert_delete(*, actor, alert_id: int) -> None:
    require_alert_manager(actor)
    deleted, _rows = AlertRule.objects.filter(pk=alert_id).delete()
    if not deleted:
        raise NotFound()


def alerts_seed_defaults() -> int:
    """Create the playbook's default alerts that are missing (by metric); returns how many."""
    existing = set(AlertRule.objects.values_list("metric", flat=True))
    rows = [AlertRule(**d) for d in DEFAULT_ALERTS if d["metric"] not in existing]
    AlertRule.objects.bulk_create(rows)
    return len(rows)
