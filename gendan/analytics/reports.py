"""The reports under /api/v1/reports/: each one metric selector plus a flat table for CSV and
XLSX downloads of the same numbers."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gendan.analytics import selectors
from gendan.analytics.metrics import collections, conversion, customers, followups, performance
from gendan.analytics.metrics import pipeline as deals
from gendan.analytics.metrics.collections import BUCKETS


@dataclass(frozen=True)
class Report:
    compute: Callable  # (actor, f, **options) -> dict
    table: Callable  # (data) -> (headers, rows)
    default_period: str = "this_month"


def _rows(data, keys, key="rows"):
    return [[r.get(k) for k in keys] for r in data[key]]


def _funnel_table(data):
    keys = ["stage_id", "name", "reached", "conversion_to_next", "conversion_to_won", "amount"]
    if "groups" not in data:
        return keys, _rows(data, keys, "stages")
    # Grouped by a custom field: the group's value and label first, one block per group.
    headers = [data["group_by"], "group", *keys]
    rows = [
        [group["value"], group["label"], *row]
        for group in data["groups"]
        for row in _rows(group, keys, "stages")
    ]
    return headers, rows


def _conversion_table(data):
    keys = [
        "key",
        "label",
        "leads",
        "converted_leads",
        "lead_conversion_rate",
        "deals_closed",
        "deals_won",
        "win_rate",
    ]
    total = [
        _("Total"),
        "",
        data["leads"],
        data["converted_leads"],
        data["lead_conversion_rate"],
        data["deals_closed"],
        data["deals_won"],
        data["win_rate"],
    ]
    return keys, [*_rows(data, keys), total]


def _durations_table(data):
    keys = ["stage_id", "name", "stays", "mean_days", "median_days", "p90_days"]
    return keys, _rows(data, keys, "stages")


def _cycle_table(data):
    keys = ["user_id", "name", "deals_won", "mean_days", "median_days"]
    total = ["", _("Total"), data["deals_won"], data["mean_days"], data["median_days"]]
    return keys, [*_rows(data, keys), total]


def _response_table(data):
    keys = ["user_id", "name", "leads", "answered", "within_sla", "share_within_sla"]
    keys.append("median_hours")
    total = [
        "",
        _("Total"),
        data["leads"],
        data["answered"],
        data["within_sla"],
        data["share_within_sla"],
        data["median_hours"],
    ]
    return keys, [*_rows(data, keys), total]


def _activity_table(data):
    headers = ["user_id", "name", "follow_ups"]
    headers += [f"channel_{c}" for c in data["channels"]]
    headers += [f"outcome_{o}" for o in data["outcomes"]]
    rows = [
        [r["user_id"], r["name"], r["follow_ups"]]
        + [r["by_channel"].get(c, 0) for c in data["channels"]]
        + [r["by_outcome"].get(o, 0) for o in data["outcomes"]]
        for r in data["rows"]
    ]
    return headers, rows


def _churn_table(data):
    keys = ["user_id", "name", "active_at_start", "churned", "churn_rate"]
    total = ["", _("Total"), data["active_at_start"], data["churned"], data["churn_rate"]]
    return keys, [*_rows(data, keys), total]


def _collections_table(data):
    keys = ["user_id", "name", "planned", "collected", "collection_rate", "received_in_period"]
    keys.append("overdue")
    headers = [*keys, *(f"overdue_{b}" for b in BUCKETS)]
    rows = [[r.get(k) for k in keys] + [r["aging"][b] for b in BUCKETS] for r in data["rows"]]
    total = ["", _("Total")] + [data[k] for k in keys[2:]] + [data["aging"][b] for b in BUCKETS]
    return headers, [*rows, total]


def _forecast_table(data):
    keys = ["month", "deals", "amount", "weighted_amount", "won_amount", "lost_amount"]
    total = [_("Total")] + [data["total"][k] for k in keys[1:]]
    return keys, [*_rows(data, keys, "months"), total]


def _targets_table(data):
    keys = ["user_id", "team_id", "name", "metric", "period", "start", "end", "target"]
    keys += ["actual", "attainment"]
    return keys, _rows(data, keys)


def _leaderboard_table(data):
    keys = ["rank", "user_id", "name", *performance.LEADERBOARD_METRICS]
    return keys, _rows(data, keys)


def _lost_reasons_table(data):
    keys = ["reason", "deals", "share", "amount"]
    return keys, _rows(data, keys)


def _targets(actor, f):
    return performance.targets_report(
        actor=actor, f=f, targets=selectors.target_list(actor=actor, filters=_target_filters(f))
    )


def _target_filters(f):
    if f.owner_id:
        return {"user_id": f.owner_id}
    return {}


REPORTS: dict[str, Report] = {
    "funnel": Report(lambda a, f, **o: deals.funnel(actor=a, f=f, **o), _funnel_table),
    "conversion": Report(
        lambda a, f, **o: conversion.conversion(actor=a, f=f, **o), _conversion_table
    ),
    "stage-durations": Report(
        lambda a, f, **o: deals.stage_durations(actor=a, f=f), _durations_table
    ),
    "cycle": Report(lambda a, f, **o: deals.cycle(actor=a, f=f, **o), _cycle_table),
    "response": Report(lambda a, f, **o: followups.response(actor=a, f=f, **o), _response_table),
    "activity": Report(lambda a, f, **o: followups.activity(actor=a, f=f), _activity_table),
    "churn": Report(lambda a, f, **o: customers.churn(actor=a, f=f), _churn_table),
    "collections": Report(
        lambda a, f, **o: collections.collections(actor=a, f=f), _collections_table
    ),
    "forecast": Report(
        lambda a, f, **o: deals.forecast(actor=a, f=f), _forecast_table, "this_year"
    ),
    "targets": Report(lambda a, f, **o: _targets(a, f), _targets_table),
    "leaderboard": Report(
        lambda a, f, **o: performance.leaderboard(actor=a, f=f, **o), _leaderboard_table
    ),
    "lost-reasons": Report(lambda a, f, **o: deals.lost_reasons(actor=a, f=f), _lost_reasons_table),
}
