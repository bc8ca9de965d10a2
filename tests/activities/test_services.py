"""Follow-up and task services, and the timeline writers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.activities.timeline import changes_record
from gendan.core.errors import ValidationFailed
from gendan.followups import selectors, services
from tests.factories import DealFactory, LeadFactory, TaskFactory


def test_follow_up_on_a_deal_touches_deal_and_customer(org):
    deal = DealFactory(owner=org.owner)
    when = timezone.now() - timedelta(minutes=5)
    nxt = timezone.now() + timedelta(days=3)
    services.activity_log(
        actor=org.owner,
        data={
            "subject_type": "deal",
            "subject_id": deal.pk,
            "summary": "x",
            "occurred_at": when,
            "next_follow_up_at": nxt,
        },
    )
    deal.refresh_from_db()
    deal.customer.refresh_from_db()
    assert (deal.last_activity_at, deal.next_follow_up_at) == (when, nxt)
    assert (deal.customer.last_activity_at, deal.customer.next_follow_up_at) == (when, nxt)


def test_older_follow_up_does_not_move_last_activity_back(org):
    deal = DealFactory(owner=org.owner)
    now = timezone.now()
    for when in (now, now - timedelta(days=2)):
        services.activity_log(
            actor=org.owner,
            data={
                "subject_type": "deal",
                "subject_id": deal.pk,
                "summary": "x",
                "occurred_at": when,
            },
        )
    deal.refresh_from_db()
    assert deal.last_activity_at == now


def test_follow_up_author_must_be_assignable(org):
    lead = LeadFactory(owner=org.owner)
    with pytest.raises(ValidationFailed):
        services.activity_log(
            actor=org.owner,
            data={
                "subject_type": "lead",
                "subject_id": lead.pk,
                "summary": "x",
                "owner_id": org.peer.pk,
            },
        )
    assert not Activity.objects.exists()


def test_task_done_sets_and_clears_done_at(org):
    task = TaskFactory(assignee=org.owner)
    done = services.task_update(actor=org.owner, task_id=task.pk, data={"status": "done"})
    assert done.done_at is not None
    again = services.task_update(actor=org.owner, task_id=task.pk, data={"status": "open"})
    assert again.done_at is None


def test_task_update_with_a_subject_records_the_event(org):
    lead = LeadFactory(owner=org.owner)
    task = services.task_create(
        actor=org.owner, data={"title": "t", "subject_type": "lead", "subject_id": lead.pk}
    )
    services.task_update(actor=org.owner, task_id=task.pk, data={"status": "cancelled"})
    kinds = list(TimelineEvent.objects.filter(lead=lead).values_list("kind", flat=True))
    assert sorted(kinds) == ["task_cancelled", "task_created"]


def test_task_list_text_search(org):
    TaskFactory(assignee=org.owner, title="Send contract")
    TaskFactory(assignee=org.owner, title="Call back")
    found = selectors.task_list(actor=org.owner, filters={"q": "contract"})
    assert [t.title for t in found] == ["Send contract"]
    assert Task.objects.count() == 2


def test_changes_record_one_event_per_significant_change(org):
    lead = LeadFactory(owner=org.owner)
    changes_record(
        lead,
        {
            "owner_id": (1, 2),
            "amount": (Decimal("1"), Decimal("2")),
            "name": ("a", "b"),
            "notes": ("x", "y"),
        },
        actor=org.owner,
        tracked=("name",),
    )
    events = {e.kind: e.data for e in TimelineEvent.objects.filter(lead=lead)}
    assert set(events) == {"owner_changed", "amount_changed", "updated"}
    assert events["amount_changed"] == {"field": "amount", "from": "1", "to": "2"}
    assert events["updated"] == {"fields": {"name": {"from": "a", "to": "b"}}}
