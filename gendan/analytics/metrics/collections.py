"""Payment collection (回款): planned vs received, collection rate, overdue aging."""

from datetime import timedelta

from django.db.models import DecimalField, F, Q
from django.utils import timezone

from gendan.analytics.metrics.common import money, ratio, user_names
from gendan.analytics.metrics.filters import MetricFilter
from gendan.core.money import currency_sum
from gendan.sales.choices import ContractStatus
from gendan.sales.models import MONEY, Payment, PaymentPlan
from gendan.sales.selectors.contracts import contract_scoped

# Installments and payments are in their contract's currency.
CUR = "contract__currency"

LIVE_CONTRACTS = (ContractStatus.ACTIVE, ContractStatus.FULFILLED)
BUCKETS = ("0-30", "31-60", "61-90", "90+")


def aging_q(bucket: str, today) -> Q:
    """Installments `bucket` days past due as of `today` (due yesterday = 1 day overdue, in
    0–30; due 31 days ago in 31–60; 90+ is 91 days or more)."""
    ranges = {"0-30": (1, 30), "31-60": (31, 60), "61-90": (61, 90), "90+": (91, None)}
    lo, hi = ranges[bucket]
    q = Q(due_date__lte=today - timedelta(days=lo))
    if hi is not None:
        q &= Q(due_date__gte=today - timedelta(days=hi))
    return q


def _plan_aggregates(f: MetricFilter, today) -> dict:
    """Per owner: planned and collected in the period, overdue and aged as of `today`."""
    money_field = DecimalField(**MONEY)
    outstanding = F("amount") - F("received_amount")
    due_in_period = Q(due_date__gte=f.start_date, due_date__lt=f.end_date)
    unpaid = Q(received_amount__lt=F("amount"))
    aggregates = {
        "planned": currency_sum("amount", currency_path=CUR, filter=due_in_period),
        "collected": currency_sum("received_amount", currency_path=CUR, filter=due_in_period),
        "overdue": currency_sum(
            outstanding,
            currency_path=CUR,
            filter=unpaid & Q(due_date__lt=today),
            output_field=money_field,
        ),
    }
    for bucket in BUCKETS:
        aggregates[f"aged_{bucket}"] = currency_sum(
            outstanding,
            currency_path=CUR,
            filter=unpaid & aging_q(bucket, today),
            output_field=money_field,
        )
    return aggregates


def _owner_row(uid, name: str, plans: dict, received) -> dict:
    row = {
        "user_id": uid,
        "name": name,
        "planned": money(plans.get("planned")),
        "collected": money(plans.get("collected")),
        "received_in_period": money(received),
        "overdue": money(plans.get("overdue")),
        "aging": {b: money(plans.get(f"aged_{b}")) for b in BUCKETS},
    }
    row["collection_rate"] = ratio(row["collected"], row["planned"])
    return row


def _has_figures(row: dict) -> bool:
    figures = [v for k, v in row.items() if k not in ("user_id", "name", "aging")]
    return any(figures) or any(row["aging"].values())


def collections(*, actor, f: MetricFilter, today=None) -> dict:
    today = today or timezone.localdate()
    plans = f.contracts(
        contract_scoped(PaymentPlan.objects.filter(contract__status__in=LIVE_CONTRACTS), actor),
        "contract",
    )
    grouped = plans.order_by().values(owner_id=F("contract__owner_id"))
    by_owner = {r["owner_id"]: r for r in grouped.annotate(**_plan_aggregates(f, today))}
    payments = f.contracts(contract_scoped(Payment.objects.all(), actor), "contract")
    received = {
        r["owner_id"]: r["total"]
        for r in f.in_period(payments, "received_at", is_date=True)
        .order_by()
        .values(owner_id=F("contract__owner_id"))
        .annotate(total=currency_sum("amount", currency_path=CUR))
    }
    names = user_names(list(by_owner) + list(received))
    rows = [
        _owner_row(uid, names.get(uid, ""), by_owner.get(uid, {}), received.get(uid))
        for uid in set(by_owner) | set(received)
    ]
    rows = sorted((row for row in rows if _has_figures(row)), key=lambda r: r["name"])
    total = {
        key: money(sum(r[key] for r in rows))
        for key in ("planned", "collected", "received_in_period", "overdue")
    }
    total["collection_rate"] = ratio(total["collected"], total["planned"])
    total["aging"] = {b: money(sum(r["aging"][b] for r in rows)) for b in BUCKETS}
    return {"as_of": today.isoformat(), **total, "rows": rows}
