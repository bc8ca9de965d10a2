"""What the dashboards draw: the report selectors' numbers shaped for the charts, in the reader's
language, with the link to the list of records behind every bar and funnel step.

Everything comes from the shared metric selectors (`gendan.analytics.metrics`), so a dashboard
shows exactly what the reports under /api/v1/reports/ return for the same filter.
"""

from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gendan.analytics import selectors
from gendan.analytics.choices import COUNT_METRICS, TargetMetric
from gendan.analytics.metrics import collections, conversion, customers, followups, performance
from gendan.analytics.metrics import pipeline as deals
from gendan.analytics.metrics.collections import BUCKETS
from gendan.analytics.metrics.filters import MetricFilter, add_months, month_start
from gendan.deals.choices import StageKind

TREND_MONTHS = 6
GAUGES = 6
LEADERBOARD_ROWS = 10


def _zh() -> bool:
    return (get_language() or "").startswith("zh")


def _name(row: dict) -> str:
    return (row.get("name_zh") if _zh() else "") or row.get("name") or ""


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def _num(value) -> float | None:
    return None if value is None else float(value)


def _months_filter(f: MetricFilter, *, forward: bool) -> MetricFilter:
    """The filter's own period when it spans at least three months; otherwise six months ending
    with (trend) or starting at (forecast) the period's month."""
    if f.end_date >= add_months(month_start(f.start_date), 3):
        return f
    if forward:
        start = month_start(f.start_date)
        return replace(f, start_date=start, end_date=add_months(start, TREND_MONTHS))
    end = add_months(month_start(f.end_date - timedelta(days=1)), 1)
    return replace(f, start_date=add_months(end, -TREND_MONTHS), end_date=end)


def _month_bounds(month: str) -> tuple[date, date]:
    year, mon = (int(p) for p in month.split("-"))
    return date(year, mon, 1), date(year, mon, monthrange(year, mon)[1])


def _deal_params(f: MetricFilter) -> dict:
    return {"owner_id": f.owner_id, "pipeline_id": f.pipeline_id}


# The charts -----------------------------------------------------------------------------------


def _funnel(actor, f: MetricFilter, group_by: str | None = None) -> dict:
    data = deals.funnel(actor=actor, f=f, group_by=group_by)
    steps = []
    for s in data["stages"]:
        if s["kind"] == StageKind.WON:
            link = _url("deals:list", status="won", **_deal_params(f))
        else:
            link = _url("deals:list", stage_id=s["stage_id"], **_deal_params(f))
        steps.append(
            {
                "name": _name(s),
                "value": s["reached"],
                "amount": _num(s["amount"]),
                "to_next": s["conversion_to_next"],
                "to_won": s["conversion_to_won"],
                "url": link,
            }
        )
    out = {"deals": data["deals"], "steps": steps}
    if "groups" in data:
        out["stage_names"] = [step["name"] for step in steps]
        out["groups"] = [
            {
                "label": g["label"],
                "deals": g["deals"],
                "reached": [s["reached"] for s in g["stages"]],
                "to_won": g["stages"][0]["conversion_to_won"] if g["stages"] else None,
            }
            for g in data["groups"]
        ]
    return out


def _trend(actor, f: MetricFilter) -> dict:
    tf = _months_filter(f, forward=False)
    data = conversion.conversion(actor=actor, f=tf, group_by="month")
    points = []
    for r in data["rows"]:
        if not r["key"]:
            continue
        first, last = _month_bounds(r["key"])
        points.append(
            {
                "month": r["key"],
                "leads": r["leads"],
                "lead_conversion_rate": r["lead_conversion_rate"],
                "win_rate": r["win_rate"],
                "url": _url(
                    "leads:list",
                    created_from=first.isoformat(),
                    created_to=last.isoformat(),
                    owner_id=f.owner_id,
                    source=f.source,
                ),
            }
        )
    return {
        "from": tf.start_date.isoformat(),
        "to": (tf.end_date - timedelta(days=1)).isoformat(),
        "points": points,
        "lead_conversion_rate": data["lead_conversion_rate"],
        "win_rate": data["win_rate"],
    }


def _durations(actor, f: MetricFilter) -> dict:
    data = deals.stage_durations(actor=actor, f=f)
    return {
        "stages": [
            {
                "name": _name(s),
                "stays": s["stays"],
                "mean": s["mean_days"],
                "median": s["median_days"],
                "p90": s["p90_days"],
                "max_days": s["max_days"],
                "url": _url(
                    "deals:list",
                    stage_id=s["stage_id"],
                    status="open",
                    ordering="stage_entered_at",
                    **_deal_params(f),
                ),
            }
            for s in data["stages"]
        ]
    }


def _forecast(actor, f: MetricFilter) -> dict:
    ff = _months_filter(f, forward=True)
    data = deals.forecast(actor=actor, f=ff)
    months = []
    for m in data["months"]:
        first, last = _month_bounds(m["month"])
        months.append(
            {
                "month": m["month"],
                "amount": _num(m["amount"]),
                "weighted_amount": _num(m["weighted_amount"]),
                "won_amount": _num(m["won_amount"]),
                "url": _url(
                    "deals:list",
                    close_from=first.isoformat(),
                    close_to=last.isoformat(),
                    ordering="expected_close_date",
                    **_deal_params(f),
                ),
            }
        )
    total = {k: _num(v) for k, v in data["total"].items()}
    return {
        "from": ff.start_date.isoformat(),
        "to": (ff.end_date - timedelta(days=1)).isoformat(),
        "months": months,
        "total": total,
    }


def _gauges(actor, f: MetricFilter) -> list[dict]:
    filters = {"user_id": f.owner_id} if f.owner_id else {}
    rows = performance.targets_report(
        actor=actor, f=f, targets=selectors.target_list(actor=actor, filters=filters)
    )["rows"]
    # Teams first (a manager's view), then people; the largest shortfall first within each.
    rows.sort(key=lambda r: ("team_id" not in r, r["attainment"] or 0))
    labels = dict(TargetMetric.choices)
    return [
        {
            "name": r["name"],
            "metric": str(labels.get(r["metric"], r["metric"])),
            "money": r["metric"] not in COUNT_METRICS,
            "target": _num(r["target"]),
            "actual": _num(r["actual"]),
            "attainment": r["attainment"],
            "period": f"{r['start']} – {r['end']}",
        }
        for r in rows[:GAUGES]
    ]


def _leaderboard(actor, f: MetricFilter) -> dict:
    data = performance.leaderboard(actor=actor, f=f, limit=LEADERBOARD_ROWS)
    return {
        "rows": [
            {
                "name": r["name"],
                "won_amount": _num(r[performance.WON_AMOUNT]),
                "deals_won": r[TargetMetric.DEALS_WON],
                "follow_ups": r[TargetMetric.FOLLOW_UPS],
                "url": _url("deals:list", status="won", owner_id=r["user_id"]),
            }
            for r in data["rows"]
        ]
    }


def _aging(actor, f: MetricFilter) -> dict:
    data = collections.collections(actor=actor, f=f)
    link = _url("contracts:list", overdue="true", owner_id=f.owner_id)
    labels = {
        "0-30": _("1–30 days"),
        "31-60": _("31–60 days"),
        "61-90": _("61–90 days"),
        "90+": _("Over 90 days"),
    }
    return {
        "buckets": [
            {"name": labels[b], "value": _num(data["aging"][b]), "url": link} for b in BUCKETS
        ],
        "planned": _num(data["planned"]),
        "collected": _num(data["collected"]),
        "collection_rate": data["collection_rate"],
        "overdue": _num(data["overdue"]),
    }


def _kpis(actor, f: MetricFilter, funnel: dict) -> list[dict]:
    conv = conversion.conversion(actor=actor, f=f, group_by="source")
    resp = followups.response(actor=actor, f=f)
    churn = customers.churn(actor=actor, f=f)
    won = performance.actuals(
        actor=actor,
        start=f.start_date,
        end=f.end_date,
        metrics=[performance.WON_AMOUNT],
        people=f.users_q(),
    )[performance.WON_AMOUNT]
    return [
        {"label": _("New leads"), "value": conv["leads"], "kind": "count"},
        {"label": _("Lead conversion"), "value": conv["lead_conversion_rate"], "kind": "rate"},
        {"label": _("Win rate"), "value": conv["win_rate"], "kind": "rate"},
        {"label": _("Deals won"), "value": conv["deals_won"], "kind": "count"},
        {"label": _("Amount won"), "value": _num(sum(won.values())), "kind": "money"},
        {
            "label": _("Median first response"),
            "value": resp["median_hours"],
            "kind": "hours",
        },
        {"label": _("Churn"), "value": churn["churn_rate"], "kind": "rate"},
    ]


def dashboard(*, actor, f: MetricFilter, mine: bool = False, group_by: str | None = None) -> dict:
    """Every chart of a dashboard. With `mine`, the caller has already fixed `f.owner_id` to the
    reader; the leaderboard then still ranks everyone the reader may see. `group_by`
    (`custom.<key>`) adds the funnel per value of a deal field."""
    funnel = _funnel(actor, f, group_by)
    return {
        "generated_at": timezone.localtime().isoformat(timespec="minutes"),
        "kpis": _kpis(actor, f, funnel),
        "funnel": funnel,
        "trend": _trend(actor, f),
        "durations": _durations(actor, f),
        "forecast": _forecast(actor, f),
        "gauges": _gauges(actor, f),
        "leaderboard": _leaderboard(actor, replace(f, owner_id=None) if mine else f),
        "aging": _aging(actor, f),
    }
