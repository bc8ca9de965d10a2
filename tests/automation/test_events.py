"""Event triggers: created, updated (fields), stage_changed (from/to), activity_logged (outcome),
run after the commit; a failing action never fails the user's request."""

from django.db import transaction

from gendan.activities.models import Notification
from gendan.automation import engine
from gendan.automation.models import RuleRun
from gendan.core.events import emit
from gendan.leads.models import Lead
from tests.factories import CustomerFactory, DealFactory, LeadFactory, TaskFactory

TAG = [{"type": "set_field", "field": "tags", "value": "hot"}]


def test_created_runs_after_commit_and_records_skipped_runs(org, api, make_rule, commits):
    rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        conditions=[{"field": "source", "op": "eq", "value": "website"}],
        actions=TAG,
    )
    client = api(org.owner)
    with commits() as callbacks:
        client.post("/leads", {"name": "A", "phone": "13800000001", "source": "website"})
        # nothing has run inside the request's transaction
        assert not RuleRun.objects.exists()
    assert callbacks
    with commits():
        client.post("/leads", {"name": "B", "phone": "13800000002", "source": "referral"})
    assert Lead.objects.get(name="A").tags == ["hot"]
    assert Lead.objects.get(name="B").tags == []
    assert sorted(RuleRun.objects.filter(rule=rule).values_list("outcome", flat=True)) == [
        "done",
        "skipped",
    ]


def test_updated_only_when_the_given_fields_change(org, api, make_rule, commits):
    make_rule(object="lead", trigger={"type": "updated", "fields": ["phone"]}, actions=TAG)
    lead = LeadFactory(owner=org.owner)
    client = api(org.owner)
    with commits():
        client.patch(f"/leads/{lead.pk}", {"title": "CTO"})
    lead.refresh_from_db()
    assert lead.tags == []
    with commits():
        client.patch(f"/leads/{lead.pk}", {"phone": "13912345678"})
    lead.refresh_from_db()
    assert lead.tags == ["hot"]


def test_updated_owner_field_matches_owner_id(org, api, make_rule, commits):
    make_rule(
        object="customer",
        trigger={"type": "updated", "fields": ["owner"]},
        actions=[{"type": "set_field", "field": "risk_level", "value": "medium"}],
    )
    customer = CustomerFactory(owner=org.owner)
    with commits():
        api(org.manager).patch(f"/customers/{customer.pk}", {"owner_id": org.peer.pk})
    customer.refresh_from_db()
    assert customer.risk_level == "medium"


def test_stage_changed_from_and_to(org, api, make_rule, commits):
    deal = DealFactory(owner=org.owner)
    deal.pipeline.stages.update(required_fields=[])
    stages = list(deal.pipeline.stages.filter(kind="open").order_by("order"))
    first, second, third = stages[0], stages[1], stages[2]
    rule = make_rule(
        object="deal",
        trigger={"type": "stage_changed", "from_stage_id": first.pk, "to_stage_id": second.pk},
        actions=[{"type": "notify", "to": "manager", "message": "{{ record.name }} moved"}],
    )
    client = api(org.owner)
    with commits():
        assert client.post(f"/deals/{deal.pk}/move", {"stage_id": second.pk}).status_code == 200
    with commits():
        client.post(f"/deals/{deal.pk}/move", {"stage_id": third.pk})
    assert RuleRun.objects.filter(rule=rule).count() == 1
    assert Notification.objects.get(recipient=org.manager, kind="rule").message.endswith("moved")


def test_activity_logged_with_an_outcome(org, api, make_rule, commits):
    make_rule(
        object="deal",
        trigger={"type": "activity_logged", "outcome": "negative"},
        actions=[{"type": "set_field", "field": "risk_level", "value": "medium"}],
    )
    deal = DealFactory(owner=org.owner)
    client = api(org.owner)
    for outcome in ("positive", "negative"):
        with commits():
            client.post(
                "/activities",
                {"subject_type": "deal", "subject_id": deal.pk, "summary": "x", "outcome": outcome},
            )
        deal.refresh_from_db()
        assert (deal.risk_level == "medium") is (outcome == "negative")


def test_task_created_and_updated(org, api, make_rule, commits):
    make_rule(
        object="task",
        trigger={"type": "created"},
        actions=[{"type": "set_field", "field": "priority", "value": "high"}],
    )
    make_rule(
        object="task",
        trigger={"type": "updated", "fields": ["status"]},
        actions=[{"type": "notify", "to": "manager", "message": "{{ record.title }} changed"}],
    )
    client = api(org.owner)
    with commits():
        task_id = client.post("/tasks", {"title": "Call back"}).json()["id"]
    with commits():
        client.patch(f"/tasks/{task_id}", {"status": "done"})
    assert client.get(f"/tasks/{task_id}").json()["priority"] == "high"
    assert Notification.objects.filter(recipient=org.manager, message="Call back changed").exists()


def test_a_failing_action_never_fails_the_request(org, api, make_rule, commits):
    rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[
            {"type": "set_field", "field": "tags", "value": "seen"},
            {"type": "webhook", "url": "http://127.0.0.1:9/closed", "timeout": 1},
            {"type": "set_field", "field": "status", "value": "qualified"},
        ],
    )
    with commits():
        response = api(org.owner).post("/leads", {"name": "A", "phone": "13800000001"})
    assert response.status_code == 201
    run = RuleRun.objects.get(rule=rule)
    assert run.outcome == "failed" and "webhook" in run.error
    lead = Lead.objects.get(pk=response.json()["id"])
    # the action before the failure stands; the ones after it did not run
    assert lead.tags == ["seen"] and lead.status == "new"
    listed = api(org.admin).get(f"/rules/{rule.pk}/runs").json()["items"][0]
    assert listed["outcome"] == "failed" and listed["object_id"] == lead.pk


def test_an_occurrence_runs_once_even_when_two_workers_race(org, make_rule):
    rule = make_rule(
        object="task",
        trigger={"type": "created"},
        actions=[{"type": "set_field", "field": "priority", "value": "high"}],
    )
    task = TaskFactory(assignee=org.owner)
    from django.utils import timezone

    first = engine.fire(rule, task.pk, occurrence="x", now=timezone.now())
    second = engine.fire(rule, task.pk, occurrence="x", now=timezone.now())
    assert first is not None and second is None
    assert RuleRun.objects.count() == 1


def test_rule_chains_stop_at_a_bounded_depth(org, make_rule):
    # a rule whose action triggers itself again (through an update event) stops
    make_rule(object="lead", trigger={"type": "updated"}, actions=TAG)
    lead = LeadFactory(owner=org.owner)
    engine._local.depth = engine.MAX_DEPTH
    try:
        assert engine.handle_event(obj="lead", record_id=lead.pk, trigger="updated") == []
    finally:
        engine._local.depth = 0


def test_record_event_waits_for_the_commit(org, make_rule, django_capture_on_commit_callbacks):
    make_rule(object="lead", trigger={"type": "created"}, actions=TAG)
    lead = LeadFactory(owner=org.owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        emit(lead, "created")
    assert len(callbacks) == 1 and not RuleRun.objects.exists()
    callbacks[0]()
    lead.refresh_from_db()
    assert lead.tags == ["hot"]
