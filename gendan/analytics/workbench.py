"""What a user has to do today (工作台): reads only, all through the permission scope."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from gendan.activities.choices import TaskStatus
from gendan.activities.models import Activity, Task
from gendan.core.money import cents, currency_sum
from gendan.core.risk import RiskLevel
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal, Stage
from gendan.leads.choices import LeadStatus
from gendan.leads.models import Lead

LIMIT = 10
OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)


@dataclass
class MyNumbers:
    new_leads: int
    follow_ups: int
    deals_won: int
    amount_won: Decimal


def _day_bounds(now):
    local = timezone.localtime(now)
    start = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    return start, start + timedelta(days=1)


def _month_start(now):
    local = timezone.localtime(now)
    first = local.date().replace(day=1)
    return timezone.make_aware(datetime.combine(first, time.min), local.tzinfo)


def follow_ups_due(*, actor, now=None) -> dict:
    """My leads and open deals whose next follow-up is today or overdue, oldest first."""
    now = now or timezone.now()
    _start, end = _day_bounds(now)
    leads = (
        Lead.objects.visible_to(actor)
        .filter(owner=actor, status__in=OPEN_LEAD_STATUSES, next_follow_up_at__lt=end)
        .order_by("next_follow_up_at", "id")
    )
    deals = (
        Deal.objects.visible_to(actor)
        .filter(owner=actor, status=DealStatus.OPEN, next_follow_up_at__lt=end)
        .select_related("customer", "stage")
        .order_by("next_follow_up_at", "id")
    )
    return {
        "leads": list(leads[:LIMIT]),
        "deals": list(deals[:LIMIT]),
        "count": leads.count() + deals.count(),
        "now": now,
    }


def open_tasks(*, actor):
    qs = (
        Task.objects.visible_to(actor)
        .filter(assignee=actor, status=TaskStatus.OPEN)
        .select_related("lead", "customer", "deal", "contract")
        .order_by("due_at", "id")
    )
    return {"items": list(qs[:LIMIT]), "count": qs.count()}


def uncontacted_leads(*, actor):
    qs = Lead.objects.visible_to(actor).filter(owner=actor, status=LeadStatus.NEW)
    return {"items": list(qs.order_by("created_at", "id")[:LIMIT]), "count": qs.count()}


def stalled_deals(*, actor, now=None):
    now = now or timezone.now()
    cond = Q(pk__in=[])
    for stage in Stage.objects.filter(kind="open", max_days__isnull=False):
        cond |= Q(stage_id=stage.pk, stage_entered_at__lt=now - timedelta(days=stage.max_days))
    qs = (
        Deal.objects.visible_to(actor)
        .filter(cond, owner=actor, status=DealStatus.OPEN)
        .select_related("customer", "stage")
    )
    return {"items": list(qs.order_by("stage_entered_at", "id")[:LIMIT]), "count": qs.count()}


def deals_at_risk(*, actor):
    qs = (
        Deal.objects.visible_to(actor)
        .filter(
            owner=actor, status=DealStatus.OPEN, risk_level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM]
        )
        .select_related("customer", "stage")
    )
    rank = Case(When(risk_level=RiskLevel.HIGH, then=Value(0)), default=Value(1))
    ordered = qs.order_by(rank, "expected_close_date", "id")
    return {"items": list(ordered[:LIMIT]), "count": qs.count()}


def my_numbers(*, actor, now=None) -> MyNumbers:
    """The actor's own figures this month: the rows that are the actor's own by their scope
    (a lead the actor gave back to the pool is no longer theirs)."""
    now = now or timezone.now()
    since = _month_start(now)
    won = (
        Deal.objects.own(actor)
        .filter(status=DealStatus.WON, closed_at__gte=since)
        .aggregate(count=Count("id"), amount=currency_sum("amount"))
    )
    leads = Lead.objects.own(actor).filter(created_at__gte=since)
    follow_ups = Activity.objects.own(actor).filter(occurred_at__gte=since)
    return MyNumbers(
        new_leads=leads.count(),
        follow_ups=follow_ups.count(),
        deals_won=won["count"] or 0,
        amount_won=cents(won["amount"]),
    )
