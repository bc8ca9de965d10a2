"""Risk signals and grading (风险) for deals and customers.

A deal's risk is computed from its follow-ups and its time in the stage; each signal is a
reason with a stable `code` (what rules and filters use) and a human `text`:

    no_reply_twice         the last two follow-ups got no reply            weight 2
    objections             3 or more follow-ups with an objection           weight 1
    requirement_changed    the requirements changed twice or more           weight 1
    stalled                in the stage longer than the stage's max_days    weight 1
    no_follow_up           no follow-up for longer than the stage's max_days weight 1

Grading: total weight 0 → low, 1 → medium, 2 or more → high. So one signal is medium; two
signals, or a customer who stopped answering (two no-replies in a row), are high.

A customer's risk is the worst of its open deals, one step higher when nothing at all happened
with the customer for `CHURN_DAYS` days (for an active customer, even without open deals).

Recomputed after every follow-up on a deal or customer (`after_follow_up`, called once the
follow-up commits) and daily for every open deal (`risk_recompute_all`, from the worker and
from `gendan tick`). Stored values change (and `version` is bumped, a timeline event written)
only when the level or the reasons really change.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from gendan.activities.choices import EventKind, Outcome
from gendan.activities.models import Activity
from gendan.activities.timeline import event_record
from gendan.core.risk import LEVELS, RiskLevel, grade, reason
from gendan.customers.choices import CustomerStatus
from gendan.customers.models import Customer
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal
from gendan.deals.totals import deals_changed
from gendan.history import writes as history

logger = logging.getLogger("gendan.automation.risk")

OBJECTIONS_THRESHOLD = 3
REQUIREMENT_CHANGES_THRESHOLD = 2
CHURN_DAYS = 60

# Deals --------------------------------------------------------------------------------------


def deal_signals(deal: Deal, *, at: datetime | None = None) -> list[dict]:
    """The risk reasons of one deal now (or at `at`); two queries."""
    at = at or timezone.now()
    reasons = []
    activities = Activity.objects.filter(deal_id=deal.pk, occurred_at__lte=at)
    latest = activities.order_by("-occurred_at", "-id").values_list("outcome", flat=True)
    last_two = list(latest[:2])
    if len(last_two) == 2 and all(outcome == Outcome.NO_REPLY for outcome in last_two):
        reasons.append(reason("no_reply_twice"))
    figures = activities.order_by().aggregate(
        objections=Count("id", filter=Q(objection=True)),
        changes=Count("id", filter=Q(requirement_changed=True)),
    )
    if figures["objections"] >= OBJECTIONS_THRESHOLD:
        reasons.append(reason("objections", count=figures["objections"]))
    if figures["changes"] >= REQUIREMENT_CHANGES_THRESHOLD:
        reasons.append(reason("requirement_changed", count=figures["changes"]))
    max_days = deal.stage.max_days
    if deal.status == DealStatus.OPEN and max_days:
        days_in_stage = (at - deal.stage_entered_at).days
        if days_in_stage > max_days:
            reasons.append(reason("stalled", days=days_in_stage, max_days=max_days))
        last = deal.last_activity_at or deal.created_at
        idle = (at - last).days
        if idle > max_days:
            reasons.append(reason("no_follow_up", days=idle, max_days=max_days))
    return reasons


def _store(record, level: str, reasons: list[dict], *, at: datetime) -> bool:
    """Save the level and reasons if they changed; a timeline event when the level did."""
    if record.risk_level == level and _codes(record.risk_reasons) == _codes(reasons):
        if record.risk_reasons != reasons:  # same signals, new figures: no new version
            type(record).objects.filter(pk=record.pk).update(risk_reasons=reasons)
        return False
    old_level = record.risk_level
    record.risk_level = level
    record.risk_reasons = reasons
    record.version += 1
    record.save(update_fields=["risk_level", "risk_reasons", "version", "updated_at"])
    if isinstance(record, Deal):
        deals_changed()  # the board may be filtered by risk
    if old_level != level:
        history.changes_record(record, {"risk_level": (old_level, level)}, actor=None, at=at)
        event_record(
            record,
            EventKind.UPDATED,
            at=at,
            data={
                "fields": {"risk_level": {"from": old_level, "to": level}},
                "risk_reasons": [r["code"] for r in reasons],
            },
        )
    return True


@transaction.atomic
def risk_set(record, level: str, *, at: datetime | None = None) -> bool:
    """Set a deal's or a customer's level by hand (a rule's action), keeping its reasons;
    whether it changed."""
    record = type(record).objects.select_for_update(of=("self",)).get(pk=record.pk)
    return _store(record, level, record.risk_reasons or [], at=at or timezone.now())


def _codes(reasons) -> list[str]:
    return [r.get("code") for r in reasons or [] if isinstance(r, dict)]


def deal_risk_recompute(*, deal_id: int, at: datetime | None = None) -> tuple[str, list[dict]]:
    """Compute and store a deal's risk level and reasons; return them.

    A closed deal carries no risk.
    """
    level, reasons, _changed = _deal_recompute(deal_id, at or timezone.now())
    return level, reasons


@transaction.atomic
def _deal_recompute(deal_id: int, at: datetime) -> tuple[str, list[dict], bool]:
    deal = Deal.objects.select_for_update(of=("self",)).select_related("stage").get(pk=deal_id)
    reasons = deal_signals(deal, at=at) if deal.status == DealStatus.OPEN else []
    level = grade(reasons)
    return level, reasons, _store(deal, level, reasons, at=at)


# Customers ----------------------------------------------------------------------------------


def customer_signals(customer: Customer, *, at: datetime | None = None) -> tuple[str, list]:
    at = at or timezone.now()
    reasons = []
    worst = RiskLevel.LOW
    deals = Deal.objects.filter(customer_id=customer.pk, status=DealStatus.OPEN).exclude(
        risk_level=RiskLevel.LOW
    )
    for deal_id, name, level in deals.values_list("id", "name", "risk_level").order_by("id"):
        reasons.append(reason("deal_at_risk", deal_id=deal_id, name=name, level=level))
        if LEVELS.index(level) > LEVELS.index(worst):
            worst = level
    last = customer.last_activity_at or customer.created_at
    idle = (at - last).days
    if customer.status != CustomerStatus.CHURNED and idle >= CHURN_DAYS:
        reasons.append(reason("no_activity", days=idle))
        worst = LEVELS[min(LEVELS.index(worst) + 1, 2)]
    return worst, reasons


def customer_risk_recompute(
    *, customer_id: int, at: datetime | None = None
) -> tuple[str, list[dict]]:
    """Compute and store a customer's risk (the worst of its open deals, raised by a long
    silence); return the level and the reasons."""
    level, reasons, _changed = _customer_recompute(customer_id, at or timezone.now())
    return level, reasons


@transaction.atomic
def _customer_recompute(customer_id: int, at: datetime) -> tuple[str, list[dict], bool]:
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    level, reasons = customer_signals(customer, at=at)
    return level, reasons, _store(customer, level, reasons, at=at)


# Entry points -------------------------------------------------------------------------------


def after_follow_up(subject_type: str, subject_id: int) -> None:
    """Called once a follow-up has committed: recompute the deal and its customer (or the
    customer). A failure is logged, never raised into the user's request."""
    try:
        customer_id = None
        if subject_type == "deal":
            deal_risk_recompute(deal_id=subject_id)
            customer_id = Deal.objects.filter(pk=subject_id).values_list("customer_id", flat=True)
            customer_id = customer_id.first()
        elif subject_type == "customer":
            customer_id = subject_id
        if customer_id:
            customer_risk_recompute(customer_id=customer_id)
    except Exception:
        logger.exception("Risk recompute failed for %s %s", subject_type, subject_id)


def risk_recompute_all(*, at: datetime | None = None) -> dict:
    """The daily pass: every open deal (and any closed one still flagged), then every customer
    with open deals, a risk already, or an active status. Returns how many records changed."""
    at = at or timezone.now()
    changed = {"deals": 0, "customers": 0}
    deal_ids = list(
        Deal.objects.filter(Q(status=DealStatus.OPEN) | ~Q(risk_level=RiskLevel.LOW))
        .order_by("id")
        .values_list("id", flat=True)
    )
    for deal_id in deal_ids:
        changed["deals"] += _deal_recompute(deal_id, at)[2]
    customer_ids = list(
        Customer.objects.filter(
            Q(pk__in=Deal.objects.filter(status=DealStatus.OPEN).values("customer_id"))
            | ~Q(risk_level=RiskLevel.LOW)
            | Q(status=CustomerStatus.ACTIVE)
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    for customer_id in customer_ids:
        changed["customers"] += _customer_recompute(customer_id, at)[2]
    return changed
