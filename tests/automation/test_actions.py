"""Every action: assign (round robin, least loaded, a user; capacity), create_task, notify
(people, channels), set_field, move_to_pool, add_collaborator, escalate, webhook, create_deal."""

from django.test import override_settings
from django.utils import timezone

from gendan.activities.models import Notification, Task
from gendan.automation import actions, engine
from gendan.automation.models import RuleRun
from gendan.deals.models import Deal
from tests.factories import CustomerFactory, DealFactory, LeadFactory, UserFactory


def fire(rule, record):
    return engine.fire(
        rule, record.pk, occurrence=f"t:{timezone.now().isoformat()}", now=timezone.now()
    )


def test_assign_least_loaded_skips_users_at_capacity(org, make_rule):
    busy = UserFactory(role_code="sdr", team=org.team_b, max_open_leads=1)
    light = UserFactory(role_code="sdr", team=org.team_b)
    full = UserFactory(role_code="sdr", team=org.team_b, max_open_leads=0)
    LeadFactory(owner=light)
    LeadFactory(owner=light)
    rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[
            {"type": "assign", "strategy": "least_loaded", "role": "sdr", "team_id": org.team_b.pk}
        ],
    )
    lead = LeadFactory(owner=org.outsider)
    fire(rule, lead)
    lead.refresh_from_db()
    assert lead.owner == busy  # 0 open leads, under its limit of 1
    second = LeadFactory(owner=org.outsider)
    fire(rule, second)
    second.refresh_from_db()
    assert second.owner == light  # busy is now at its limit; full is always skipped
    assert full.leads.count() == 0
    assert Notification.objects.filter(recipient=light, kind="assigned").count() == 1
    assert second.timeline_events.filter(kind="owner_changed").exists()


@override_settings(GENDAN_MAX_OPEN_LEADS=0)
def test_assign_with_nobody_available_fails_the_run(org, make_rule):
    rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[{"type": "assign", "strategy": "round_robin", "role": "ae"}],
    )
    run = fire(rule, LeadFactory(owner=org.owner))
    assert run.outcome == "failed" and "Nobody is available" in run.error


def test_assign_to_a_given_user(org, make_rule):
    rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        actions=[{"type": "assign", "user_id": org.peer.pk}],
    )
    deal = DealFactory(owner=org.owner)
    fire(rule, deal)
    deal.refresh_from_db()
    assert deal.owner == org.peer and deal.version == 2


def test_create_task_for_the_manager_with_a_template(org, make_rule):
    rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        actions=[
            {
                "type": "create_task",
                "title": "Review {{ record.name }} ({{ record.owner.name }})",
                "assignee": "manager",
                "due_in_hours": 48,
                "priority": "high",
            }
        ],
    )
    deal = DealFactory(owner=org.sub_rep, name="Big")  # sub-team has no manager: the parent's
    fire(rule, deal)
    task = Task.objects.get()
    assert task.assignee == org.manager and task.deal == deal and task.priority == "high"
    assert task.title == f"Review Big ({org.sub_rep.name})"
    assert task.due_at > timezone.now()
    assert deal.timeline_events.filter(kind="task_created").exists()


def test_notify_team_and_a_user_and_other_channels(org, make_rule, commits):
    rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[
            {
                "type": "notify",
                "to": ["team", org.outsider.pk],
                "message": "New: {{ record.name }}",
                "channels": ["in_app", "email", "wecom"],
            }
        ],
    )
    lead = LeadFactory(owner=org.owner, name="Li")
    with commits():
        fire(rule, lead)
    recipients = set(
        Notification.objects.filter(kind="rule").values_list("recipient_id", flat=True)
    )
    assert recipients == {org.owner.pk, org.peer.pk, org.manager.pk, org.outsider.pk}
    assert Notification.objects.filter(kind="rule").first().message == "New: Li"
    # the other channels are named on each notification, and its deliveries wait for the worker
    for notification in Notification.objects.filter(kind="rule"):
        assert notification.data["channels"] == ["email", "wecom"]
        statuses = set(notification.deliveries.values_list("channel", "status"))
        assert statuses == {("email", "pending"), ("chat", "pending")}


def test_set_field_tag_status_and_risk(org, make_rule):
    lead_rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[
            {"type": "set_field", "field": "tags", "value": "vip"},
            {"type": "set_field", "field": "tags", "value": "vip"},
            {"type": "set_field", "field": "status", "value": "qualified"},
        ],
    )
    lead = LeadFactory(owner=org.owner, tags=["a"])
    fire(lead_rule, lead)
    lead.refresh_from_db()
    assert lead.tags == ["a", "vip"] and lead.status == "qualified"
    assert lead.timeline_events.filter(kind="status_changed").exists()
    deal_rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        actions=[
            {"type": "set_field", "field": "risk_level", "value": "high"},
        ],
    )
    deal = DealFactory(owner=org.owner)
    fire(deal_rule, deal)
    deal.refresh_from_db()
    assert deal.risk_level == "high"
    recompute = make_rule(
        object="deal",
        trigger={"type": "created"},
        actions=[
            {"type": "set_field", "field": "risk_level", "value": "recompute"},
        ],
    )
    run = fire(recompute, deal)
    deal.refresh_from_db()
    assert run.outcome == "done" and deal.risk_level == "low"


def test_add_collaborator_and_escalate(org, make_rule):
    deal = DealFactory(owner=org.owner)
    rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        actions=[{"type": "add_collaborator", "user": org.peer.pk, "role": "se"}],
    )
    fire(rule, deal)
    assert deal.collaborators.get().user == org.peer
    escalate = make_rule(object="deal", trigger={"type": "created"}, actions=[{"type": "escalate"}])
    fire(escalate, deal)
    fire(escalate, deal)  # already escalated: the manager is not alarmed twice
    assert deal.collaborators.filter(user=org.manager, role="sm").exists()
    assert Notification.objects.filter(recipient=org.manager, kind="rule").count() == 1
    # a lead has no collaborators: escalation is a notification
    lead_rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[{"type": "escalate", "message": "Look at {{ record.name }}"}],
    )
    fire(lead_rule, LeadFactory(owner=org.owner, name="Wu"))
    assert Notification.objects.filter(recipient=org.manager, message="Look at Wu").exists()


def test_escalate_without_a_manager_fails(org, make_rule):
    rule = make_rule(object="lead", trigger={"type": "created"}, actions=[{"type": "escalate"}])
    run = fire(rule, LeadFactory(owner=org.outsider))  # team B has no manager
    assert run.outcome == "failed"


def test_move_to_pool_and_create_deal(org, make_rule):
    pool = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[{"type": "move_to_pool", "reason": "cold {{ record.name }}"}],
    )
    lead = LeadFactory(owner=org.owner, name="Ma")
    fire(pool, lead)
    lead.refresh_from_db()
    assert lead.in_pool and lead.pool_reason == "cold Ma"
    customer = CustomerFactory(owner=org.peer, name="Hua")
    renew = make_rule(
        object="customer",
        trigger={"type": "created"},
        actions=[{"type": "create_deal", "name": "Upsell {{ record.name }}"}],
    )
    fire(renew, customer)
    deal = Deal.objects.get(customer=customer)
    assert deal.name == "Upsell Hua" and deal.owner == org.peer


def test_webhook_failure_status_fails_the_run(org, make_rule, webhook_server):
    webhook_server.status = 500
    rule = make_rule(
        object="lead",
        trigger={"type": "created"},
        actions=[{"type": "webhook", "url": webhook_server.url}],
    )
    run = fire(rule, LeadFactory(owner=org.owner))
    assert run.outcome == "failed" and "500" in run.error
    assert len(webhook_server.requests) == 1
    assert RuleRun.objects.get().details["actions"][0]["type"] == "webhook"


def test_every_action_type_has_a_run_and_a_preview():
    from gendan.automation.rule_objects import ACTION_TYPES

    for kind in ACTION_TYPES:
        run, preview = actions.get(kind)
        assert callable(run) and callable(preview)
