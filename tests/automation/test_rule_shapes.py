"""The rule shapes: OpenAPI describes every trigger and action; unknown keys are refused;
pydantic's messages come out in the caller's language under the rule's own paths."""

import pytest

from gendan.automation.choices import TriggerType
from gendan.automation.models import Rule
from gendan.automation.rule_objects import ACTION_TYPES
from gendan.automation.rules import rule_validate
from gendan.core.errors import ValidationFailed
from tests.automation.test_api import IDLE_RULE


def _schemas(api, user) -> dict:
    return api(user).get("/openapi.json").json()["components"]["schemas"]


def test_openapi_lists_every_trigger_and_action_with_its_fields(org, api):
    schemas = _schemas(api, org.admin)
    rule_in = schemas["RuleIn"]["properties"]
    triggers = rule_in["trigger"]["discriminator"]["mapping"]
    actions = rule_in["actions"]["items"]["discriminator"]["mapping"]
    assert set(triggers) == set(TriggerType.values)
    assert set(actions) == set(ACTION_TYPES)
    idle = schemas["IdleTrigger"]
    assert {"type", "days", "hours"} <= set(idle["properties"])
    assert idle["additionalProperties"] is False
    notify = schemas["NotifyAction"]
    assert {"to", "message", "channels", "conditions"} <= set(notify["properties"])
    assert set(notify["required"]) == {"type", "to", "message"}
    assert set(schemas["Condition"]["properties"]) == {"field", "op", "value"}
    patch = schemas["RulePatch"]["properties"]
    assert "discriminator" in str(patch["trigger"]) and "discriminator" in str(patch["actions"])


def test_unknown_keys_are_refused_each_on_its_own_path(org, api):
    rule = {
        **IDLE_RULE,
        "trigger": {"type": "idle", "days": 3, "weeks": 1},
        "actions": [{"type": "notify", "to": "owner", "message": "hi", "colour": "red"}],
    }
    response = api(org.admin).post("/rules", rule, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["trigger.weeks"] == "Unknown field."
    assert errors["actions.0.colour"] == "Unknown field."
    assert not Rule.objects.exists()


def test_shape_errors_are_in_the_callers_language(org, api):
    rule = {**IDLE_RULE, "trigger": {"type": "idle", "days": "three"}}
    rule["actions"] = [{"type": "create_task", "title": "x", "priority": "urgent"}]
    english = api(org.admin).post("/rules", rule, headers={"Accept-Language": "en"}).json()
    chinese = api(org.admin).post("/rules", rule, headers={"Accept-Language": "zh-hans"}).json()
    assert english["errors"]["trigger.days"] == "Give a positive number."
    assert english["errors"]["actions.0.priority"] == "Use one of low, normal, high."
    assert chinese["errors"]["trigger.days"] == "请填写正数。"
    assert chinese["errors"]["actions.0.priority"] == "请使用 low, normal, high 之一。"


def test_a_rule_is_stored_as_sent(org, api):
    rule = {
        **IDLE_RULE,
        "trigger": {"type": "due", "field": "expected_close_date", "offset_days": -3},
        "conditions": [{"field": "next_follow_up_at", "op": "is_empty"}],
        "actions": [{"type": "escalate", "channels": ["email"]}],
    }
    body = api(org.manager).post("/rules", rule).json()
    stored = Rule.objects.get(pk=body["id"])
    assert stored.trigger == rule["trigger"]
    assert stored.conditions == rule["conditions"]
    assert stored.actions == rule["actions"]


@pytest.mark.django_db
def test_the_checks_that_need_the_object_run_in_the_service():
    rule = {
        "name": "r",
        "object": "task",
        "trigger": {"type": "stage_changed"},
        "actions": [{"type": "create_deal", "name": "Renewal", "owner": "customer_owner"}],
    }
    with pytest.raises(ValidationFailed) as caught:
        rule_validate(rule)
    assert set(caught.value.errors) == {"trigger.type", "actions.0.type", "actions.0.owner"}
