"""Per-person numbers: the actuals that targets are compared with, and the leaderboard.

One grouped query per metric returns (owner, month, value); months add up to quarters and years,
and a team's actual is the sum of its members' (the team and its sub-teams).
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from gendan.activities.models import Activity
from gendan.analytics.choices import COUNT_METRICS, TargetMetric, TargetPeriod
from gendan.analytics.metrics.common import money, ratio, user_names
from gendan.analytics.metrics.filters import MetricFilter, add_months, local_midnight
from gendan.core.errors import ValidationFailed
from gendan.core.money import currency_sum
from gendan.customers.models import Customer
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal
from gendan.leads.models import Lead
from gendan.org.models import Team, User
from gendan.sales.choices import ContractStatus
from gendan.sales.models import Contract, Payment
from gendan.sales.selectors.contracts import contract_scoped

WON_AMOUNT = "won_amount"
LEADERBOARD_METRICS = (*TargetMetric.values, WON_AMOUNT)
PERIOD_MONTHS = {TargetPeriod.MONTH: 1, TargetPeriod.QUARTER: 3, TargetPeriod.YEAR: 12}


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _sources(actor):
    """metric → (queryset, owner path, timestamp field, is_date, aggregate)."""
    return {
        TargetMetric.NEW_LEADS: (
            Lead.objects.visible_to(actor),
            "owner",
            "created_at",
            False,
            Count("pk"),
        ),
        TargetMetric.FOLLOW_UPS: (
            Activity.objects.visible_to(actor),
            "owner",
            "occurred_at",
            False,
            Count("pk"),
        ),
        TargetMetric.NEW_CUSTOMERS: (
            Customer.objects.visible_to(actor),
            "owner",
            "created_at",
            False,
            Count("pk"),
        ),
        TargetMetric.DEALS_WON: (
            Deal.objects.visible_to(actor).filter(status=DealStatus.WON),
            "owner",
            "closed_at",
            False,
            Count("pk"),
        ),
        WON_AMOUNT: (
            Deal.objects.visible_to(actor).filter(status=DealStatus.WON),
            "owner",
            "closed_at",
            False,
            currency_sum("amount"),
        ),
        TargetMetric.CONTRACT_AMOUNT: (
            Contract.objects.visible_to(actor).filter(
                status__in=(ContractStatus.ACTIVE, ContractStatus.FULFILLED)
            ),
            "owner",
            "signed_at",
            True,
            currency_sum("amount"),
        ),
        TargetMetric.PAYMENT_AMOUNT: (
            contract_scoped(Payment.objects.all(), actor),
            "contract__owner",
            "received_at",
            True,
            currency_sum("amount", currency_path="contract__currency"),
        ),
    }


def actuals(
    *,
    actor,
    start: date,
    end: date,
    metrics,
    people: Q | None = None,
    by_month: bool = False,
) -> dict:
    """{metric: {(user_id, month or None): value}} for records in [start, end) (local dates).

    `people` restricts the owning users (a Q on User)."""
    sources = _sources(actor)
    result = {}
    for metric in metrics:
        qs, owner, stamp, is_date, aggregate = sources[metric]
        if is_date:
            qs = qs.filter(**{f"{stamp}__gte": start, f"{stamp}__lt": end})
            month = TruncMonth(stamp)
        else:
            qs = qs.filter(
                **{f"{stamp}__gte": local_midnight(start), f"{stamp}__lt": local_midnight(end)}
            )
            month = TruncMonth(stamp, tzinfo=_tz())
        if people is not None:
            qs = qs.filter(**{f"{owner}__in": User.objects.filter(people).values("pk")})
        groups = {"uid": F(f"{owner}_id")}
        if by_month:
            groups["month"] = month
        rows = qs.order_by().values(**groups).annotate(value=aggregate)
        values = {}
        for r in rows:
            m = r.get("month")
            if m is not None and hasattr(m, "date"):
                m = m.date()
            value = r["value"] if metric in COUNT_METRICS else money(r["value"])
            values[(r["uid"], m)] = value
        result[metric] = values
    return result


def _number(metric, value):
    if metric not in COUNT_METRICS:
        return money(value)
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value


def leaderboard(*, actor, f: MetricFilter, metric: str = WON_AMOUNT, limit: int = 50) -> dict:
    """Everyone with numbers in the period, ranked by `metric`."""
    if metric not in LEADERBOARD_METRICS:
        raise ValidationFailed(
            errors={"metric": _("Use one of: %s.") % ", ".join(LEADERBOARD_METRICS)}
        )
    data = actuals(
        actor=actor,
        start=f.start_date,
        end=f.end_date,
        metrics=LEADERBOARD_METRICS,
        people=f.users_q(),
    )
    uids = {uid for values in data.values() for uid, _m in values}
    names = user_names(uids)
    rows = []
    for uid in uids:
        row = {"user_id": uid, "name": names.get(uid, "")}
        for m in LEADERBOARD_METRICS:
            value = data[m].get((uid, None))
            row[m] = value if value is not None else (0 if m in COUNT_METRICS else money(0))
        rows.append(row)
    rows.sort(key=lambda r: (-r[metric], r["name"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return {"metric": metric, "rows": rows[:limit]}


def period_end(period: str, start: date) -> date:
    return add_months(start, PERIOD_MONTHS[period])


def _subtrees() -> dict[int, set[int]]:
    """Every team's subtree, from one query."""
    children: dict = defaultdict(list)
    ids = []
    for tid, parent_id in Team.objects.values_list("id", "parent_id"):
        children[parent_id].append(tid)
        ids.append(tid)
    trees = {}
    for root in ids:
        seen, stack = set(), [root]
        while stack:
            tid = stack.pop()
            if tid not in seen:
                seen.add(tid)
                stack.extend(children.get(tid, []))
        trees[root] = seen
    return trees


def targets_report(*, actor, f: MetricFilter, targets) -> dict:
    """Each target (of `targets`, already scoped) whose period overlaps the filter's, with the
    actual over the target's own period and the attainment (actual / target)."""
    targets = [
        t
        for t in targets.filter(start__lt=f.end_date, start__gte=add_months(f.start_date, -12))
        if period_end(t.period, t.start) > f.start_date
    ]
    if not targets:
        return {"rows": []}
    span_start = min(t.start for t in targets)
    span_end = max(period_end(t.period, t.start) for t in targets)
    metrics = sorted({t.metric for t in targets})
    data = actuals(actor=actor, start=span_start, end=span_end, metrics=metrics, by_month=True)
    trees = _subtrees() if any(t.team_id for t in targets) else {}
    members: dict[int, set[int]] = defaultdict(set)
    if trees:
        wanted = set().union(*(trees.get(t.team_id, set()) for t in targets if t.team_id))
        for uid, team_id in User.objects.filter(team_id__in=wanted).values_list("pk", "team_id"):
            members[team_id].add(uid)
    names = user_names(t.user_id for t in targets)
    team_names = dict(
        Team.objects.filter(pk__in={t.team_id for t in targets if t.team_id}).values_list(
            "pk", "name"
        )
    )
    rows = []
    for t in targets:
        end = period_end(t.period, t.start)
        months = {add_months(t.start, i) for i in range(PERIOD_MONTHS[t.period])}
        if t.user_id:
            users = {t.user_id}
        else:
            users = set().union(*(members.get(tid, set()) for tid in trees.get(t.team_id, ())))
        values = data[t.metric]
        actual = sum(
            (v for (uid, m), v in values.items() if uid in users and m in months),
            start=0 if t.metric in COUNT_METRICS else money(0),
        )
        row = {"id": t.pk}
        if t.user_id:
            row.update(user_id=t.user_id, name=names.get(t.user_id, ""))
        else:
            row.update(team_id=t.team_id, name=team_names.get(t.team_id, ""))
        row.update(
            metric=t.metric,
            period=t.period,
            start=t.start.isoformat(),
            end=(end - timedelta(days=1)).isoformat(),
            target=_number(t.metric, t.value),
            actual=_number(t.metric, actual),
            attainment=ratio(actual, t.value),
        )
        rows.append(row)
    return {"rows": rows}
