"""The weekly review (跟单复盘): last week's funnel, bottleneck stage, a row per rep, deals at
risk, overdue payments and top lost reasons, each compared with the week before.

Every figure comes from the shared metric selectors (grouped queries); this module only picks
the week and puts this week's and last week's answers side by side as
{"value", "previous", "delta"}. The week runs Monday 00:00 to Monday 00:00 in
`settings.TIME_ZONE`; `at` picks the last full week that ended before it, so a review on Monday
morning covers the week that just ended.
"""

from dataclasses import replace
from datetime import date, timedelta

from django.utils import timezone

from gendan.analytics import selectors
from gendan.analytics.choices import TargetMetric
from gendan.analytics.metrics import collections, performance
from gendan.analytics.metrics import pipeline as deal_metrics
from gendan.analytics.metrics.common import money, user_names
from gendan.analytics.metrics.filters import MetricFilter, metric_filter
from gendan.core.risk import RiskLevel
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal

AT_RISK_ROWS = 10
LOST_REASON_ROWS = 5
REP_METRICS = (TargetMetric.FOLLOW_UPS, TargetMetric.DEALS_WON, performance.WON_AMOUNT)
# Which target a rep's attainment is read from, first match wins.
ATTAINMENT_METRICS = (
    TargetMetric.CONTRACT_AMOUNT,
    TargetMetric.DEALS_WON,
    TargetMetric.PAYMENT_AMOUNT,
    TargetMetric.FOLLOW_UPS,
    TargetMetric.NEW_CUSTOMERS,
    TargetMetric.NEW_LEADS,
)


def week_of(at) -> tuple[date, date]:
    """[Monday, next Monday) of the last full week before the local day of `at`."""
    day = timezone.localdate(at) if hasattr(at, "tzinfo") and at.tzinfo else at
    if hasattr(day, "date"):
        day = day.date()
    this_monday = day - timedelta(days=day.weekday())
    return this_monday - timedelta(days=7), this_monday


def compare(value, previous) -> dict:
    """A figure with last week's and the change; None when either side is unknown."""
    delta = None
    if value is not None and previous is not None:
        delta = value - previous
        if isinstance(delta, float):
            delta = round(delta, 4)
    return {"value": value, "previous": previous, "delta": delta}


def _zero(metric):
    return money(0) if metric == performance.WON_AMOUNT else 0


def _attainment(actor, f: MetricFilter) -> dict:
    """user_id → {"metric", "attainment"} of the target period holding the week's last day."""
    last_day = (f.end_date - timedelta(days=1)).isoformat()
    rows = performance.targets_report(actor=actor, f=f, targets=selectors.target_list(actor=actor))[
        "rows"
    ]
    ranked = [
        r
        for r in rows
        if "user_id" in r
        and r["start"] <= last_day <= r["end"]
        and r["metric"] in ATTAINMENT_METRICS
    ]
    ranked.sort(key=lambda r: ATTAINMENT_METRICS.index(r["metric"]))
    found: dict = {}
    for r in ranked:
        found.setdefault(
            r["user_id"],
            {"metric": r["metric"], "target": r["target"], "attainment": r["attainment"]},
        )
    return found


def _reps(actor, f: MetricFilter, prev: MetricFilter) -> tuple[list[dict], dict]:
    now = performance.actuals(
        actor=actor, start=f.start_date, end=f.end_date, metrics=REP_METRICS, people=f.users_q()
    )
    before = performance.actuals(
        actor=actor,
        start=prev.start_date,
        end=prev.end_date,
        metrics=REP_METRICS,
        people=f.users_q(),
    )
    targets = _attainment(actor, f)
    uids = {uid for values in (*now.values(), *before.values()) for uid, _m in values}
    names = user_names(uids)
    rows = []
    for uid in uids:
        row = {"user_id": uid, "name": names.get(uid, "")}
        for metric in REP_METRICS:
            key = "amount" if metric == performance.WON_AMOUNT else str(metric)
            row[key] = compare(
                now[metric].get((uid, None), _zero(metric)),
                before[metric].get((uid, None), _zero(metric)),
            )
        target = targets.get(uid)
        row["attainment"] = target["attainment"] if target else None
        row["attainment_metric"] = target["metric"] if target else None
        rows.append(row)
    rows.sort(key=lambda r: (-r["amount"]["value"], -r["deals_won"]["value"], r["name"]))
    totals = {}
    for key in ("follow_ups", "deals_won", "amount"):
        start = money(0) if key == "amount" else 0
        totals[key] = compare(
            sum((r[key]["value"] for r in rows), start=start),
            sum((r[key]["previous"] for r in rows), start=start),
        )
    return rows, totals


def _bottleneck(funnel: dict, funnel_prev: dict, durations: dict, durations_prev: dict) -> dict:
    """The open stage losing the largest share of deals on the way to the next one, and the
    open stage where deals stay longest (median days)."""
    prev_conv = {s["stage_id"]: s["conversion_to_next"] for s in funnel_prev["stages"]}
    prev_days = {s["stage_id"]: s["median_days"] for s in durations_prev["stages"]}
    drops = [
        s for s in funnel["stages"] if s["kind"] == "open" and s["conversion_to_next"] is not None
    ]
    drop = min(drops, key=lambda s: s["conversion_to_next"]) if drops else None
    stays = [s for s in durations["stages"] if s["median_days"] is not None]
    stay = max(stays, key=lambda s: s["median_days"]) if stays else None
    return {
        "largest_drop": drop
        and {
            "stage_id": drop["stage_id"],
            "name": drop["name"],
            "name_zh": drop["name_zh"],
            "conversion_to_next": compare(
                drop["conversion_to_next"], prev_conv.get(drop["stage_id"])
            ),
            "drop": round(1 - drop["conversion_to_next"], 4),
        },
        "longest_stay": stay
        and {
            "stage_id": stay["stage_id"],
            "name": stay["name"],
            "name_zh": stay["name_zh"],
            "median_days": compare(stay["median_days"], prev_days.get(stay["stage_id"])),
        },
    }


def _at_risk(actor, f: MetricFilter) -> dict:
    """Open deals whose risk is high now (risk is kept as of now, not per week)."""
    qs = f.deals(Deal.objects.visible_to(actor)).filter(
        status=DealStatus.OPEN, risk_level=RiskLevel.HIGH
    )
    rows = qs.select_related("owner", "customer", "stage").order_by("-amount", "id")
    return {
        "count": compare(qs.count(), None),
        "rows": [
            {
                "deal_id": d.pk,
                "name": d.name,
                "customer": d.customer.name if d.customer_id else "",
                "owner": d.owner.name if d.owner_id else "",
                "stage": d.stage.name,
                "stage_zh": d.stage.name_zh,
                "amount": money(d.amount),
                "reasons": d.risk_reasons or [],
            }
            for d in rows[:AT_RISK_ROWS]
        ],
    }


def _lost(lost: dict, lost_prev: dict) -> dict:
    prev = {r["reason"]: r["deals"] for r in lost_prev["rows"]}
    return {
        "deals": compare(lost["deals"], lost_prev["deals"]),
        "rows": [
            {
                "reason": r["reason"],
                "deals": compare(r["deals"], prev.get(r["reason"], 0)),
                "share": r["share"],
                "amount": r["amount"],
            }
            for r in lost["rows"][:LOST_REASON_ROWS]
        ],
    }


def weekly_review(*, actor, at=None, team_id: int | None = None) -> dict:
    """The review of the last full week before `at` (default now) as `actor` sees it, limited
    to `team_id` (with its sub-teams) when given."""
    start, end = week_of(at or timezone.now())
    f = metric_filter(date_from=start, date_to=end - timedelta(days=1), team_id=team_id)
    prev = replace(f, start_date=start - timedelta(days=7), end_date=start)
    funnel = deal_metrics.funnel(actor=actor, f=f)
    funnel_prev = deal_metrics.funnel(actor=actor, f=prev)
    prev_reached = {s["stage_id"]: s["reached"] for s in funnel_prev["stages"]}
    stages = [
        {**s, "reached": compare(s["reached"], prev_reached.get(s["stage_id"], 0))}
        for s in funnel["stages"]
    ]
    durations = deal_metrics.stage_durations(actor=actor, f=f)
    durations_prev = deal_metrics.stage_durations(actor=actor, f=prev)
    cash = collections.collections(actor=actor, f=f, today=end)
    cash_prev = collections.collections(actor=actor, f=prev, today=start)
    reps, totals = _reps(actor, f, prev)
    return {
        "week": {"from": start, "to": end - timedelta(days=1)},
        "previous": {"from": prev.start_date, "to": start - timedelta(days=1)},
        "team_id": team_id,
        "funnel": {
            "pipeline_id": funnel["pipeline_id"],
            "deals": compare(funnel["deals"], funnel_prev["deals"]),
            "stages": stages,
        },
        "bottleneck": _bottleneck(funnel, funnel_prev, durations, durations_prev),
        "reps": reps,
        "totals": totals,
        "at_risk": _at_risk(actor, f),
        "overdue": {
            "amount": compare(cash["overdue"], cash_prev["overdue"]),
            "aging": cash["aging"],
        },
        "lost_reasons": _lost(
            deal_metrics.lost_reasons(actor=actor, f=f),
            deal_metrics.lost_reasons(actor=actor, f=prev),
        ),
    }
