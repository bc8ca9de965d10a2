"""The rules API: CRUD, strict validation, permissions, dry run, runs, the playbook."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.activities.models import Notification, Task
from gendan.automation.models import Rule, RuleRun
from tests.factories import DealFactory, LeadFactory, UserFactory

IDLE_RULE = {
    "name": "客户3天未回复",
    "object": "deal",
    "enabled": True,
    "trigger": {"type": "idle", "days": 3},
    "conditions": [{"field": "status", "op": "eq", "value": "open"}],
    "actions": [
        {
            "type": "create_task",
            "title": "跟进 {{ record.name }}",
            "assignee": "owner",
            "due_in_hours": 24,
        },
        {
            "type": "notify",
            "to": "owner",
            "message": "{{ record.name }} 已3天无跟进",
            "channels": ["in_app"],
        },
    ],
}


def test_create_returns_the_stored_shape(org, api):
    # when a sales manager posts the example rule
    response = api(org.manager).post("/rules", IDLE_RULE)
    # then it is stored and answered as sent
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["trigger"] == {"type": "idle", "days": 3}
    assert body["actions"] == IDLE_RULE["actions"]
    assert body["version"] == 1 and body["created_by_id"] == org.manager.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"conditions": [{"field": "nope", "op": "eq", "value": 1}]}, "conditions.0.field"),
        ({"conditions": [{"field": "status", "op": "like", "value": 1}]}, "conditions.0.op"),
        ({"conditions": [{"field": "status", "op": "in", "value": "open"}]}, "conditions.0.value"),
        ({"actions": [{"type": "explode"}]}, "actions.0.type"),
        ({"actions": [{"type": "set_field", "field": "amount", "value": 1}]}, "actions.0.field"),
        ({"actions": [{"type": "move_to_pool"}]}, "actions.0.type"),
        ({"actions": [{"type": "webhook", "url": "ftp://x"}]}, "actions.0.url"),
        (
            {"actions": [{"type": "notify", "to": "owner", "message": "{% if %}"}]},
            "actions.0.message",
        ),
        ({"actions": []}, "actions"),
        ({"trigger": {"type": "someday"}}, "trigger.type"),
        ({"trigger": {"type": "idle"}}, "trigger.hours"),
        ({"trigger": {"type": "due", "field": "name"}}, "trigger.field"),
        ({"trigger": {"type": "sla", "hours": 2}}, "trigger.type"),
        ({"object": "planet"}, "object"),
        (
            {"conditions": [{"field": "owner.password", "op": "eq", "value": "x"}]},
            "conditions.0.field",
        ),
    ],
)
def test_bad_rules_answer_422_naming_the_part_and_write_nothing(org, api, change, field):
    response = api(org.admin).post("/rules", {**IDLE_RULE, **change})
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"], response.json()
    assert not Rule.objects.exists()


def test_dotted_paths_to_owner_team_and_stage_are_accepted(org, api):
    conditions = [
        {"field": "owner.team_id", "op": "eq", "value": org.team_a.pk},
        {"field": "stage.kind", "op": "eq", "value": "open"},
        {"field": "team.name", "op": "contains", "value": "East"},
        {"field": "amount", "op": "gte", "value": "1000"},
        {"field": "next_follow_up_at", "op": "is_empty", "value": True},
    ]
    response = api(org.admin).post("/rules", {**IDLE_RULE, "conditions": conditions})
    assert response.status_code == 201, response.json()


def test_who_may_read_and_manage_rules(org, api, make_rule):
    rule = make_rule(**IDLE_RULE)
    ops = UserFactory(role_code="ops", team=org.team_a)
    # a sales consultant neither reads nor writes rules
    assert api(org.owner).get("/rules").status_code == 403
    assert api(org.owner).post("/rules", IDLE_RULE).status_code == 403
    assert api(org.owner).get(f"/rules/{rule.pk}/runs").status_code == 403
    # operations read but do not write
    assert api(ops).get("/rules").json()["count"] == 1
    assert api(ops).patch(f"/rules/{rule.pk}", {"enabled": False}).status_code == 403
    # only an administrator enables playbook templates
    assert api(org.manager).post("/rules/templates/task_due/enable").status_code == 403


def test_patch_honours_version_and_validates_the_merged_rule(org, api, make_rule):
    rule = make_rule(**IDLE_RULE)
    client = api(org.manager)
    assert client.patch(f"/rules/{rule.pk}", {"enabled": False, "version": 1}).status_code == 200
    stale = client.patch(f"/rules/{rule.pk}", {"name": "x", "version": 1})
    assert stale.status_code == 409
    bad = client.patch(f"/rules/{rule.pk}", {"trigger": {"type": "sla", "hours": 1}})
    assert bad.status_code == 422 and "trigger.type" in bad.json()["errors"]
    rule.refresh_from_db()
    assert (rule.enabled, rule.name, rule.version) == (False, "rule" if False else rule.name, 2)
    assert client.delete(f"/rules/{rule.pk}").status_code == 204
    assert client.get(f"/rules/{rule.pk}").status_code == 404


def test_dry_run_shows_conditions_and_actions_and_writes_nothing(org, api, make_rule):
    rule = make_rule(**IDLE_RULE)
    deal = DealFactory(owner=org.owner, name="ACME ERP")
    # when the manager tests the rule on the deal (both accepted shapes)
    response = api(org.manager).post(f"/rules/{rule.pk}/test", {"record": {"id": deal.pk}})
    same = api(org.manager).post(f"/rules/{rule.pk}/test", {"record_id": deal.pk})
    # then it shows the condition passing and what each action would do
    assert response.status_code == 200, response.json()
    assert same.json()["matched"] is True
    body = response.json()
    assert body["matched"] is True
    assert body["conditions"] == [
        {"field": "status", "op": "eq", "value": "open", "actual": "open", "passed": True}
    ]
    task, note = body["actions"]
    assert task["would_run"] and task["result"]["title"] == "跟进 ACME ERP"
    assert task["result"]["assignee"]["id"] == org.owner.pk
    assert note["result"]["message"] == "ACME ERP 已3天无跟进"
    # and nothing was written
    assert not Task.objects.exists() and not Notification.objects.exists()
    assert not RuleRun.objects.exists()


def test_dry_run_on_a_record_outside_the_callers_scope_is_refused(org, api, make_rule):
    rule = make_rule(**IDLE_RULE)
    foreign = DealFactory(owner=org.outsider)
    response = api(org.manager).post(f"/rules/{rule.pk}/test", {"record": {"id": foreign.pk}})
    assert response.status_code == 422 and "record" in response.json()["errors"]
    assert api(org.manager).post(f"/rules/{rule.pk}/test", {}).status_code == 422


def test_runs_list_and_rule_list_use_bounded_queries(org, api, make_rule):
    client = api(org.admin)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    rule = make_rule(**IDLE_RULE)
    lead = LeadFactory(owner=org.owner)
    for i in range(3):
        RuleRun.objects.create(
            rule=rule,
            object_type="deal",
            object_id=lead.pk,
            occurrence=str(i),
            at="2026-01-01T00:00:00Z",
            outcome="done",
        )
    few_runs, few_rules = count(f"/rules/{rule.pk}/runs"), count("/rules")
    for i in range(3, 23):
        RuleRun.objects.create(
            rule=rule,
            object_type="deal",
            object_id=lead.pk,
            occurrence=str(i),
            at="2026-01-01T00:00:00Z",
            outcome="failed",
            error="boom",
        )
        make_rule(**{**IDLE_RULE, "name": f"r{i}"})
    assert count(f"/rules/{rule.pk}/runs") <= few_runs
    assert count("/rules") <= few_rules
    runs = client.get(f"/rules/{rule.pk}/runs", {"outcome": "failed"}).json()
    assert runs["count"] == 20 and runs["items"][0]["error"] == "boom"


def test_playbook_templates_are_listed_and_enabled_once(org, api):
    client = api(org.admin)
    templates = client.get("/rules/templates").json()
    keys = {t["key"] for t in templates}
    assert {
        "lead_round_robin",
        "lead_sla_2h",
        "lead_sla_4h",
        "deal_idle_3d",
        "lead_idle_7d_pool",
        "payment_due_3d",
        "payment_overdue_daily",
        "contract_renewal_60d",
        "task_due",
        "deal_risk_follow_up",
        "deal_risk_stalled",
    } <= keys
    first = client.post("/rules/templates/deal_idle_3d/enable")
    assert first.status_code == 201 and first.json()["template"] == "deal_idle_3d"
    Rule.objects.update(enabled=False)
    again = client.post("/rules/templates/deal_idle_3d/enable")
    assert again.status_code == 200 and again.json()["enabled"] is True
    assert Rule.objects.count() == 1
    assert client.post("/rules/templates/nope/enable").status_code == 404
    listed = {t["key"]: t for t in client.get("/rules/templates").json()}
    assert listed["deal_idle_3d"]["rule_enabled"] is True


def test_every_playbook_template_is_a_valid_rule(org):
    from gendan.automation.services import playbook_enable_all

    rules = playbook_enable_all(actor=None)
    assert len(rules) == Rule.objects.filter(enabled=True).count() == 11
    assert playbook_enable_all(actor=None) == rules  # idempotent
