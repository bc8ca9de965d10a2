"""Custom fields in rules: conditions on `custom.<key>` (each operator on each type, checked
when the rule is saved, archived fields), set_field on a custom field (checked at save, the
timeline's old → new, the dry run), and the rule in words."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from gendan.automation import describe, engine, records, services
from gendan.core.errors import ValidationFailed
from gendan.deals.models import Deal
from gendan.fields import services as field_services
from gendan.fields.selectors import definitions
from tests.factories import DealFactory
from tests.fields.definitions import SEGMENT

ADDED = [
    {
        "record_type": "deal",
        "key": "labels",
        "label_zh": "标签组",
        "label_en": "Labels",
        "type": "multi_choice",
        "choices": [
            {"value": "hot", "label_zh": "热门", "label_en": "Hot"},
            {"value": "cold", "label_zh": "冷门", "label_en": "Cold"},
        ],
    },
    {
        "record_type": "deal",
        "key": "seats",
        "label_zh": "席位",
        "label_en": "Seats",
        "type": "number",
    },
    {
        "record_type": "deal",
        "key": "budget",
        "label_zh": "预算",
        "label_en": "Budget",
        "type": "money",
    },
    {
        "record_type": "deal",
        "key": "kickoff",
        "label_zh": "启动日",
        "label_en": "Kickoff",
        "type": "date",
    },
    {
        "record_type": "deal",
        "key": "signed_at",
        "label_zh": "签约时间",
        "label_en": "Signed at",
        "type": "datetime",
    },
    {"record_type": "deal", "key": "vip", "label_zh": "重点", "label_en": "VIP", "type": "boolean"},
    {"record_type": "deal", "key": "memo", "label_zh": "备注", "label_en": "Memo", "type": "text"},
    {
        "record_type": "deal",
        "key": "champion",
        "label_zh": "内线",
        "label_en": "Champion",
        "type": "user",
    },
]


@pytest.fixture
def deal_fields(org):
    made = {}
    for data in [SEGMENT, *ADDED]:
        made[data["key"]] = field_services.field_create(actor=org.admin, data=data)
    return made


@pytest.fixture
def deal(org, deal_fields):
    deal = DealFactory(owner=org.owner, amount=Decimal("1000.00"))
    deal.custom = {
        "segment": "retail",
        "labels": ["hot"],
        "seats": 120,
        "budget": 5000.5,
        "kickoff": "2026-06-01",
        "signed_at": "2026-06-01T02:00:00Z",
        "vip": True,
        "memo": "Needs an ERP bridge",
        "champion": org.peer.pk,
    }
    deal.save(update_fields=["custom"])
    return records.record_load("deal", deal.pk)


def C(key, op, value=None):  # noqa: N802
    cond = {"field": f"custom.{key}", "op": op}
    if value is not None:
        cond["value"] = value
    return cond


CASES = [
    (C("segment", "eq", "retail"), True),
    (C("segment", "eq", "manufacturing"), False),
    (C("segment", "ne", "manufacturing"), True),
    (C("segment", "in", ["manufacturing", "retail"]), True),
    (C("segment", "in", ["manufacturing"]), False),
    (C("segment", "is_empty", False), True),
    (C("labels", "contains", "hot"), True),
    (C("labels", "contains", "cold"), False),
    (C("labels", "is_empty", True), False),
    (C("seats", "gt", 100), True),
    (C("seats", "gte", "120"), True),
    (C("seats", "lt", 120), False),
    (C("seats", "lte", 120), True),
    (C("seats", "eq", 120), True),
    (C("budget", "gt", "5000.49"), True),
    (C("budget", "eq", "5000.50"), True),
    (C("budget", "lt", 5000), False),
    (C("kickoff", "lt", "2026-06-02"), True),
    (C("kickoff", "gte", "2026-06-02"), False),
    (C("kickoff", "eq", "2026-06-01"), True),
    (C("signed_at", "gt", "2026-06-01T09:00:00+08:00"), True),
    (C("signed_at", "lt", "2026-06-01T09:00:00+08:00"), False),
    (C("vip", "eq", True), True),
    (C("vip", "ne", True), False),
    (C("memo", "contains", "erp"), True),
    (C("memo", "eq", "Other"), False),
    (C("memo", "is_empty", True), False),
]


@pytest.mark.parametrize(("cond", "expected"), CASES)
def test_each_operator_on_each_type(org, deal, make_rule, cond, expected):
    # the condition is accepted when the rule is saved
    rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        conditions=[cond],
        actions=[{"type": "notify", "to": "owner", "message": "x"}],
    )
    assert records.condition_check(deal, rule.conditions[0])[0] is expected


def test_a_user_field_and_an_empty_value(org, deal, make_rule):
    assert records.condition_check(deal, C("champion", "eq", org.peer.pk))[0]
    assert not records.condition_check(deal, C("champion", "in", [org.owner.pk]))[0]
    empty = records.record_load("deal", DealFactory(owner=org.owner).pk)
    assert records.condition_check(empty, C("segment", "is_empty", True))[0]
    assert not records.condition_check(empty, C("seats", "gt", 1))[0]
    assert records.condition_check(empty, C("segment", "ne", "retail"))[0]


BAD = [
    (C("nope", "eq", "x"), "conditions.0.field"),
    (C("segment", "gt", "retail"), "conditions.0.op"),
    (C("segment", "eq", "banking"), "conditions.0.value"),
    (C("segment", "in", ["retail", "banking"]), "conditions.0.value"),
    (C("labels", "eq", "hot"), "conditions.0.op"),
    (C("labels", "contains", "warm"), "conditions.0.value"),
    (C("seats", "gt", "many"), "conditions.0.value"),
    (C("kickoff", "lt", "June"), "conditions.0.value"),
    (C("vip", "gt", True), "conditions.0.op"),
    (C("vip", "eq", "yes"), "conditions.0.value"),
    (C("memo", "gt", "a"), "conditions.0.op"),
    (C("champion", "eq", 999999), "conditions.0.value"),
]


@pytest.mark.parametrize(("cond", "where"), BAD)
def test_a_condition_that_does_not_fit_its_field_is_refused(org, deal_fields, cond, where):
    data = {
        "name": "r",
        "object": "deal",
        "trigger": {"type": "created"},
        "conditions": [cond],
        "actions": [{"type": "notify", "to": "owner", "message": "x"}],
    }
    with pytest.raises(ValidationFailed) as exc:
        services.rule_create(actor=org.admin, data=data)
    assert where in exc.value.errors, exc.value.errors


def test_an_archived_field_is_unknown_at_save_and_empty_at_run(org, deal, deal_fields, make_rule):
    rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        conditions=[C("segment", "eq", "retail")],
        actions=[{"type": "notify", "to": "owner", "message": "x"}],
    )
    assert records.conditions_pass(deal, rule.conditions)
    field_services.field_archive(actor=org.admin, field_id=deal_fields["segment"].pk)
    assert "segment" not in [f.key for f in definitions("deal")]
    # when it runs, the archived field counts as empty
    assert not records.conditions_pass(deal, rule.conditions)
    assert records.condition_check(deal, C("segment", "is_empty", True))[0]
    # and a rule naming it can no longer be saved
    with pytest.raises(ValidationFailed) as exc:
        services.rule_update(actor=org.admin, rule_id=rule.pk, data={"name": "again"})
    assert "Unknown field" in str(exc.value.errors["conditions.0.field"])


def test_a_payment_plan_has_no_custom_fields(org, deal_fields):
    data = {
        "name": "r",
        "object": "payment_plan",
        "trigger": {"type": "created"},
        "conditions": [C("segment", "eq", "retail")],
        "actions": [{"type": "notify", "to": "owner", "message": "x"}],
    }
    with pytest.raises(ValidationFailed) as exc:
        services.rule_create(actor=org.admin, data=data)
    assert "conditions.0.field" in exc.value.errors


# set_field -----------------------------------------------------------------------------------


def _set(value, key="segment"):
    return {"type": "set_field", "field": f"custom.{key}", "value": value}


@pytest.mark.parametrize(
    ("action", "bad"),
    [
        (_set("banking"), True),
        (_set("retail"), False),
        (_set(None), False),
        (_set("lots", "seats"), True),
        (_set("12", "seats"), False),
        (_set(["hot", "warm"], "labels"), True),
        (_set("x", "nope"), True),
        (_set(1, "vip"), True),
    ],
)
def test_set_field_on_a_custom_field_is_checked_at_save(org, deal_fields, action, bad):
    data = {"name": "r", "object": "deal", "trigger": {"type": "created"}, "actions": [action]}
    if not bad:
        services.rule_create(actor=org.admin, data=data)
        return
    with pytest.raises(ValidationFailed) as exc:
        services.rule_create(actor=org.admin, data=data)
    assert {"actions.0.value", "actions.0.field"} & set(exc.value.errors), exc.value.errors


def test_set_field_writes_through_the_service_with_the_timeline(org, deal, make_rule):
    rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        actions=[_set("manufacturing"), _set("40", "seats")],
    )
    run = engine.fire(rule, deal.pk, occurrence="t:1", now=timezone.now())
    assert run.outcome == "done", run.error
    deal.refresh_from_db()
    assert deal.custom["segment"] == "manufacturing" and deal.custom["seats"] == 40
    assert deal.custom["labels"] == ["hot"]  # the other values stay as they were
    assert run.details["actions"][0] == {
        "type": "set_field",
        "field": "custom.segment",
        "from": "retail",
        "to": "manufacturing",
    }
    changed = [e.data["fields"] for e in deal.timeline_events.filter(kind="updated")]
    assert {"custom.segment": {"from": "retail", "to": "manufacturing"}} in changed
    assert {"custom.seats": {"from": 120, "to": 40}} in changed
    # a second run changes nothing
    again = engine.fire(rule, deal.pk, occurrence="t:2", now=timezone.now())
    assert again.details["actions"][0]["changed"] is False


def test_set_field_clears_a_custom_field(org, deal, make_rule):
    rule = make_rule(object="deal", trigger={"type": "created"}, actions=[_set(None, "memo")])
    engine.fire(rule, deal.pk, occurrence="t:1", now=timezone.now())
    deal.refresh_from_db()
    assert "memo" not in deal.custom


def test_the_dry_run_shows_from_and_to(org, deal, make_rule, api):
    rule = make_rule(
        object="deal",
        trigger={"type": "created"},
        conditions=[C("segment", "eq", "retail")],
        actions=[_set("manufacturing")],
    )
    response = api(org.manager).post(f"/rules/{rule.pk}/test", {"record_id": deal.pk})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["matched"] is True and body["conditions"][0]["actual"] == "retail"
    assert body["actions"][0]["result"] == {
        "field": "custom.segment",
        "from": "retail",
        "to": "manufacturing",
    }
    deal.refresh_from_db()
    assert deal.custom["segment"] == "retail"  # nothing written


def test_the_api_refuses_an_unknown_custom_field(org, deal_fields, api):
    body = {
        "name": "r",
        "object": "deal",
        "trigger": {"type": "created"},
        "conditions": [C("segment", "eq", "banking")],
        "actions": [_set("retail")],
    }
    response = api(org.manager).post("/rules", body)
    assert response.status_code == 422
    assert "conditions.0.value" in response.json()["errors"]
    body["conditions"] = [C("segment", "in", ["retail"])]
    assert api(org.manager).post("/rules", body).status_code == 201


def test_a_rule_reads_well_in_both_languages(org, deal_fields):
    cond, action = C("segment", "eq", "manufacturing"), _set("retail")
    with translation.override("zh-hans"):
        assert describe.condition_text(cond, "deal") == "行业细分 是 制造业"
        assert describe.action_text(action, "deal") == "将 行业细分 设为 零售"
        assert describe.condition_text(C("segment", "is_empty"), "deal") == "行业细分 为空"
    with translation.override("en"):
        assert describe.condition_text(cond, "deal") == "Industry segment is Manufacturing"
        assert (
            describe.condition_text(C("segment", "in", ["retail", "manufacturing"]), "deal")
            == "Industry segment is one of Retail, Manufacturing"
        )
        assert describe.action_text(action, "deal") == "Set Industry segment to Retail"


def _definition_reads(queries) -> int:
    return sum('"fields_customfield"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("count", [2, 6])
def test_a_run_reads_the_definitions_once_whatever_the_records(org, deal_fields, make_rule, count):
    """A tick over N deals checks custom conditions and sets a custom field on each: the
    field definitions are read at most once for the run, not once per record."""
    make_rule(
        object="deal",
        trigger={"type": "idle", "days": 3},
        conditions=[C("segment", "eq", "retail")],
        actions=[_set("40", "seats")],
    )
    deals = [DealFactory(owner=org.owner, custom={"segment": "retail"}) for _ in range(count)]
    with CaptureQueriesContext(connection) as queries:
        summary = engine.tick(at=timezone.now() + timedelta(days=4))
    assert summary["runs"] == count
    assert all(Deal.objects.get(pk=d.pk).custom["seats"] == 40 for d in deals)
    assert _definition_reads(queries) <= 1


def _restrict(org, deal_fields, key, **data):
    field = deal_fields[key]
    return field_services.field_update(actor=org.admin, field_id=field.pk, data=data)


def _rule(**data):
    return {"name": "r", "object": "deal", "trigger": {"type": "created"}, **data}


def test_a_rule_may_only_name_fields_its_author_may_see_and_change(org, deal_fields, make_rule):
    _restrict(org, deal_fields, "memo", visible_to=["ops"])  # the sales manager does not see it
    _restrict(org, deal_fields, "seats", editable_by=["ops"])  # sees it, may not change it
    with pytest.raises(ValidationFailed) as exc:
        services.rule_create(
            actor=org.manager,
            data=_rule(conditions=[C("memo", "is_empty", True)], actions=[_set(1, "seats")]),
        )
    assert exc.value.errors["conditions.0.field"] == "Unknown field “custom.memo” for a deal."
    assert exc.value.errors["actions.0.field"] == "You may not change this field."
    # a condition on a field one may see but not change is fine
    rule = services.rule_create(
        actor=org.manager,
        data=_rule(conditions=[C("seats", "gt", 1)], actions=[_set("retail")]),
    )
    # an administrator saving the manager's rule may not make it read what its author cannot
    with pytest.raises(ValidationFailed) as exc:
        services.rule_update(
            actor=org.admin,
            rule_id=rule.pk,
            data={"actions": [_set("x", "memo"), _set(2, "seats")]},
        )
    assert "may not see this field" in exc.value.errors["actions.0.field"]
    assert "may not change this field" in exc.value.errors["actions.1.field"]
    assert org.manager.name in exc.value.errors["actions.0.field"]
    # ...and the rule an administrator makes may
    make_rule(object="deal", trigger={"type": "created"}, actions=[_set("x", "memo")])


def test_an_action_condition_is_checked_too(org, deal_fields):
    _restrict(org, deal_fields, "memo", visible_to=["ops"])
    action = {**_set("retail"), "conditions": [C("memo", "is_empty", True)]}
    with pytest.raises(ValidationFailed) as exc:
        services.rule_create(actor=org.manager, data=_rule(actions=[action]))
    assert "actions.0.conditions.0.field" in exc.value.errors


def test_the_api_and_the_rule_page_refuse_a_field_the_user_may_not_see(
    org, deal_fields, api, client
):
    _restrict(org, deal_fields, "memo", visible_to=["ops"])
    body = _rule(conditions=[C("memo", "is_empty", True)], actions=[_set("retail")])
    response = api(org.manager).post("/rules", body)
    assert response.status_code == 422
    assert "custom.memo" in response.json()["errors"]["conditions.0.field"]
    client.force_login(org.manager)
    form = {
        "name": "r",
        "object": "deal",
        "enabled": "on",
        "trigger": '{"type": "created"}',
        "conditions": '[{"field": "custom.memo", "op": "is_empty", "value": true}]',
        "actions": '[{"type": "set_field", "field": "custom.segment", "value": "retail"}]',
    }
    page = client.post("/settings/rules/new/", form, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Unknown field “custom.memo” for a deal." in page.content.decode()
    assert not services.Rule.objects.filter(created_by=org.manager).exists()
    # the rule page's picker does not offer it either
    picker = client.get("/settings/rules/new/").content.decode()
    assert '"custom.memo"' not in picker and '"custom.segment"' in picker
