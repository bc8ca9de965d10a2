"""Time triggers (idle, sla, due with offsets and daily repeats), from `engine.tick` and the
`gendan tick --at` command: the same code; idempotent for the same moment."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gendan.activities.models import Notification
from gendan.automation import engine
from gendan.automation.models import RuleRun
from gendan.automation.services import playbook_enable
from gendan.deals.models import Deal
from gendan.leads.models import Lead
from tests.contracts.conftest import ContractFactory, PlanFactory
from tests.factories import CustomerFactory, LeadFactory, TaskFactory


def local(day, hour=0):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def notes(user):
    return list(Notification.objects.filter(recipient=user, kind="rule").order_by("id"))


def test_sla_reminds_the_owner_then_tells_the_manager(org):
    playbook_enable(actor=None, key="lead_sla_2h")
    playbook_enable(actor=None, key="lead_sla_4h")
    lead = LeadFactory(owner=org.owner, name="Zhang")
    contacted = LeadFactory(owner=org.owner, first_contacted_at=timezone.now())
    created = lead.created_at
    engine.tick(at=created + timedelta(hours=1))
    assert notes(org.owner) == []
    engine.tick(at=created + timedelta(hours=2, minutes=1))
    engine.tick(at=created + timedelta(hours=2, minutes=2))
    assert len(notes(org.owner)) == 1 and notes(org.manager) == []
    engine.tick(at=created + timedelta(hours=4, minutes=1))
    assert len(notes(org.manager)) == 1 and "Zhang" in notes(org.manager)[0].message
    assert not RuleRun.objects.filter(object_id=contacted.pk).exists()


def test_idle_lead_goes_to_the_pool_after_7_days(org):
    playbook_enable(actor=None, key="lead_idle_7d_pool")
    lead = LeadFactory(owner=org.owner)
    converted = LeadFactory(owner=org.owner, status="converted")
    engine.tick(at=lead.created_at + timedelta(days=6))
    assert not Lead.objects.get(pk=lead.pk).in_pool
    summary = engine.tick(at=lead.created_at + timedelta(days=7, minutes=1))
    assert summary["runs"] == 1
    lead.refresh_from_db()
    converted.refresh_from_db()
    assert lead.in_pool and lead.pool_reason and not converted.in_pool
    assert engine.tick(at=lead.created_at + timedelta(days=8))["runs"] == 0


def test_due_before_a_date_field_and_daily_until_paid(org):
    playbook_enable(actor=None, key="payment_due_3d")
    playbook_enable(actor=None, key="payment_overdue_daily")
    contract = ContractFactory(owner=org.owner, number="C-1", amount=Decimal("5000"))
    today = timezone.localdate()
    plan = PlanFactory(
        contract=contract, due_date=today + timedelta(days=10), amount=Decimal("1000")
    )
    due = plan.due_date
    engine.tick(at=local(due - timedelta(days=4), 9))
    assert notes(org.owner) == []
    engine.tick(at=local(due - timedelta(days=3), 9))
    engine.tick(at=local(due - timedelta(days=3), 10))
    assert len(notes(org.owner)) == 1 and "C-1" in notes(org.owner)[0].message
    # overdue: the owner and the manager, once per day
    for day in (1, 1, 2, 3):
        engine.tick(at=local(due + timedelta(days=day), 8))
    assert len(notes(org.owner)) == 1 + 3 and len(notes(org.manager)) == 3
    # paid: no more reminders
    PlanFactory._meta.model.objects.filter(pk=plan.pk).update(received_amount=Decimal("1000"))
    engine.tick(at=local(due + timedelta(days=4), 8))
    assert len(notes(org.manager)) == 3


def test_contract_ending_in_60_days_makes_a_renewal_deal(org):
    playbook_enable(actor=None, key="contract_renewal_60d")
    am = org.peer
    customer = CustomerFactory(owner=am, name="ACME")
    end = timezone.localdate() + timedelta(days=70)
    contract = ContractFactory(owner=org.owner, customer=customer, end_date=end, number="C-9")
    ContractFactory(owner=org.owner, end_date=end, status="terminated")
    engine.tick(at=local(end - timedelta(days=61), 12))
    assert not Deal.objects.exists()
    engine.tick(at=local(end - timedelta(days=60), 0))
    engine.tick(at=local(end - timedelta(days=59), 0))
    deal = Deal.objects.get()
    assert deal.owner == am and deal.customer == customer and deal.status == "open"
    assert deal.name == "Renewal: ACME (C-9)" and deal.amount == contract.amount
    assert deal.stage_changes.count() == 1


def test_task_due_reminds_the_assignee(org):
    playbook_enable(actor=None, key="task_due")
    due = timezone.now() + timedelta(hours=5)
    TaskFactory(assignee=org.owner, title="Send quote", due_at=due)
    TaskFactory(assignee=org.owner, title="Done", due_at=due, status="done")
    engine.tick(at=due - timedelta(minutes=1))
    assert notes(org.owner) == []
    engine.tick(at=due)
    engine.tick(at=due + timedelta(minutes=1))
    assert [n.message for n in notes(org.owner)] == ["Task due: Send quote"]


def test_a_due_moment_long_past_is_not_acted_on(org, make_rule):
    make_rule(
        object="task",
        trigger={"type": "due", "field": "due_at", "offset_hours": 1},
        actions=[{"type": "notify", "to": "owner", "message": "late"}],
    )
    TaskFactory(assignee=org.owner, due_at=timezone.now() - timedelta(days=30))
    assert engine.tick()["runs"] == 0


def test_tick_command_accepts_a_date_or_time_and_rejects_nonsense(db):
    call_command("tick", "--at", "2026-03-01")
    call_command("tick", "--at", "2026-03-01T09:30:00+08:00")
    with pytest.raises(CommandError):
        call_command("tick", "--at", "tomorrow")


def test_the_worker_task_runs_the_same_tick(org, monkeypatch):
    from gendan.automation import tasks

    seen = []
    monkeypatch.setattr(engine, "tick", lambda **kw: seen.append(kw) or {})
    tasks.rules_tick.call_local()
    assert seen == [{}]
