"""Settings pages (automation rules, notifications), the public pool in the lead pages, and
risk reasons on the deal pages."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gendan.activities.models import Task
from gendan.automation import services
from gendan.automation.models import ChatChannel, NotificationPreference, Rule, RuleRun
from gendan.core.risk import reason
from gendan.leads import pool
from gendan.leads.models import Lead
from gendan.org.system import system_actor
from tests.factories import DealFactory, LeadFactory, UserFactory

RULE = {
    "name": "Quiet deal",
    "object": "deal",
    "trigger": {"type": "idle", "days": 3},
    "conditions": [{"field": "status", "op": "eq", "value": "open"}],
    "actions": [{"type": "create_task", "title": "Follow up {{ record.name }}"}],
}


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _rule(actor, **changes) -> Rule:
    return services.rule_create(actor=actor, data={**RULE, **changes})


def _form(**changes) -> dict:
    data = {
        "name": RULE["name"],
        "object": RULE["object"],
        "enabled": "on",
        "trigger": json.dumps(RULE["trigger"]),
        "conditions": json.dumps(RULE["conditions"]),
        "actions": json.dumps(RULE["actions"]),
    }
    return {**data, **changes}


# Rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_rules_pages_render_for_admins_and_managers(org, who):
    user = getattr(org, who)
    rule = _rule(org.admin)
    RuleRun.objects.create(
        rule=rule,
        object_type="deal",
        object_id=1,
        occurrence="x",
        at=rule.created_at,
        outcome="failed",
        error="Boom",
    )
    listing = _client(user).get("/settings/rules/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Quiet deal" in body and "no follow-up for 3 days" in body
    assert 'href="/settings/rules/"' in body  # the Settings entry in the navigation
    page = _client(user).get(f"/settings/rules/{rule.pk}/")
    assert page.status_code == 200
    assert "Boom" in page.content.decode() and "Follow up" in page.content.decode()


def test_rules_pages_answer_403_to_a_rep_and_hide_the_settings_entry(org):
    rule = _rule(org.admin)
    client = _client(org.owner)
    assert client.get("/settings/rules/").status_code == 403
    assert client.get(f"/settings/rules/{rule.pk}/").status_code == 403
    assert client.post("/settings/rules/new/", _form()).status_code == 403
    assert 'href="/settings/rules/"' not in client.get("/leads/").content.decode()


def test_operations_read_rules_but_cannot_change_them(org):
    ops = UserFactory(role_code="ops")
    rule = _rule(org.admin)
    client = _client(ops)
    assert client.get("/settings/rules/").status_code == 200
    assert 'data-testid="rule-toggle"' not in client.get("/settings/rules/").content.decode()
    client.post(f"/settings/rules/{rule.pk}/toggle/", {"enabled": "false"})
    assert Rule.objects.get(pk=rule.pk).enabled is True


def test_a_manager_toggles_a_rule_with_one_click(org):
    rule = _rule(org.admin)
    response = _client(org.manager).post(f"/settings/rules/{rule.pk}/toggle/", {"enabled": "false"})
    assert response.status_code == 302
    assert Rule.objects.get(pk=rule.pk).enabled is False
    _client(org.manager).post(f"/settings/rules/{rule.pk}/toggle/", {"enabled": "true"})
    assert Rule.objects.get(pk=rule.pk).enabled is True


def test_an_admin_enables_a_playbook_template(org):
    response = _client(org.admin).post("/settings/rules/templates/deal_idle_3d/enable/")
    assert response.status_code == 302
    assert Rule.objects.get(template="deal_idle_3d").enabled is True
    page = _client(org.admin).get("/settings/rules/").content.decode()
    assert 'data-testid="template-enable-deal_idle_3d"' not in page


def test_a_manager_cannot_enable_a_playbook_template(org):
    _client(org.manager).post("/settings/rules/templates/deal_idle_3d/enable/", follow=True)
    assert not Rule.objects.filter(template="deal_idle_3d").exists()


def test_creating_a_rule_from_the_form(org):
    response = _client(org.manager).post("/settings/rules/new/", _form())
    rule = Rule.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/settings/rules/{rule.pk}/"
    assert rule.trigger == {"type": "idle", "days": 3} and rule.created_by == org.manager


def test_a_bad_rule_shows_the_error_on_its_field_and_writes_nothing(org):
    bad_trigger = _form(trigger=json.dumps({"type": "whenever"}))
    response = _client(org.manager).post("/settings/rules/new/", bad_trigger)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "type: Unknown trigger “whenever”" in errors["trigger"][0]
    assert 'data-testid="error-trigger"' in response.content.decode()

    bad_json = _form(actions="[{'type': 'notify'}")
    response = _client(org.manager).post("/settings/rules/new/", bad_json)
    assert "Not valid JSON" in response.context["form"].errors["actions"][0]

    bad_op = _form(conditions=json.dumps([{"field": "status", "op": "like", "value": 1}]))
    response = _client(org.manager).post("/settings/rules/new/", bad_op)
    assert "0.op: Unknown operator “like”" in response.context["form"].errors["conditions"][0]
    assert not Rule.objects.exists()


def test_editing_and_deleting_a_rule(org):
    rule = _rule(org.admin)
    client = _client(org.manager)
    assert client.get(f"/settings/rules/{rule.pk}/edit/").status_code == 200
    client.post(
        f"/settings/rules/{rule.pk}/edit/", _form(name="Quiet for a week", version=rule.version)
    )
    assert Rule.objects.get(pk=rule.pk).name == "Quiet for a week"
    bad = client.post(f"/settings/rules/{rule.pk}/edit/", _form(trigger="{}", version=2))
    assert "trigger" in bad.context["form"].errors
    assert Rule.objects.get(pk=rule.pk).name == "Quiet for a week"
    assert client.post(f"/settings/rules/{rule.pk}/delete/").status_code == 302
    assert not Rule.objects.filter(pk=rule.pk).exists()


def test_testing_a_rule_on_a_record_shows_conditions_and_actions(org):
    rule = _rule(org.admin)
    deal = DealFactory(owner=org.owner, name="Acme renewal")
    response = _client(org.manager).post(f"/settings/rules/{rule.pk}/test/", {"record_id": deal.pk})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="rule-test-report"' in body
    assert "Acme renewal" in body and "Conditions met" in body
    missing = _client(org.manager).post(f"/settings/rules/{rule.pk}/test/", {"record_id": 99999})
    assert "No such record." in missing.content.decode()
    assert not Task.objects.exists()  # a dry run writes nothing


def test_the_rules_list_runs_the_same_queries_for_few_and_many_rules(org):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert _client(org.admin).get("/settings/rules/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        _rule(org.admin, name=f"Rule {i}")
    few = count()
    for i in range(17):
        rule = _rule(org.admin, name=f"More {i}")
        RuleRun.objects.create(
            rule=rule,
            object_type="deal",
            object_id=i,
            occurrence="o",
            at=rule.created_at,
            outcome="done",
        )
    assert count() == few


# Notifications ----------------------------------------------------------------------------------


def test_a_rep_saves_notification_preferences(org):
    client = _client(org.owner)
    page = client.get("/settings/notifications/")
    assert page.status_code == 200 and 'data-testid="chat-channels"' not in page.content.decode()
    # assigned: e-mail is on by default; the rep turns it off and turns chat on for mentions
    response = client.post(
        "/settings/notifications/",
        {
            "mentioned__email": "on",
            "mentioned__chat": "on",
            "task_assigned__email": "on",
            "payment_recorded__email": "on",
        },
    )
    assert response.status_code == 302
    stored = {
        (p.kind, p.channel): p.enabled
        for p in NotificationPreference.objects.filter(user=org.owner)
    }
    assert stored == {("assigned", "email"): False, ("mentioned", "chat"): True}
    again = client.get("/settings/notifications/").context["form"]
    assert again["mentioned__chat"].initial is True and again["assigned__email"].initial is False


def test_an_admin_manages_chat_channels(org):
    client = _client(org.admin)
    assert 'data-testid="chat-channels"' in client.get("/settings/notifications/").content.decode()
    bad = client.post(
        "/settings/chat-channels/new/", {"name": "Sales", "kind": "wecom", "url": "ftp://x"}
    )
    assert "url" in bad.context["form"].errors and not ChatChannel.objects.exists()
    created = client.post(
        "/settings/chat-channels/new/",
        {
            "name": "Sales",
            "kind": "wecom",
            "url": "https://qyapi.example.com/hook",
            "enabled": "on",
        },
    )
    assert created.status_code == 204 and created["HX-Redirect"] == "/settings/notifications/"
    channel = ChatChannel.objects.get()
    client.post(
        f"/settings/chat-channels/{channel.pk}/edit/",
        {
            "name": "East sales",
            "kind": "wecom",
            "url": channel.url,
            "version": channel.version,
            "enabled": "on",
        },
    )
    assert ChatChannel.objects.get().name == "East sales"
    client.post(f"/settings/chat-channels/{channel.pk}/delete/")
    assert not ChatChannel.objects.exists()


def test_chat_channels_are_for_admins_only(org):
    assert _client(org.manager).get("/settings/chat-channels/new/").status_code == 403


# Public pool ------------------------------------------------------------------------------------


def _pool_lead(owner, **fields) -> Lead:
    lead = LeadFactory(owner=owner, **fields)
    return pool.lead_move_to_pool(
        actor=system_actor(), lead_id=lead.pk, reason="No answer for a week"
    )


def test_the_lead_list_shows_own_leads_by_default_and_the_pool_in_its_tab(org):
    mine = LeadFactory(owner=org.owner, name="Mine")
    pooled = _pool_lead(org.peer, name="Pooled")
    client = _client(org.owner)
    default = client.get("/leads/").content.decode()
    assert "Mine" in default and "Pooled" not in default
    tab = client.get("/leads/?in_pool=true").content.decode()
    assert "Pooled" in tab and "Mine" not in tab and "No answer for a week" in tab
    assert f"/leads/{pooled.pk}/claim/" in tab
    everything = client.get("/leads/?in_pool=all").content.decode()
    assert "Pooled" in everything and "Mine" in everything
    filtered = client.get("/leads/?in_pool=true&q=nothing-like-this").content.decode()
    assert "Pooled" not in filtered
    assert mine.pk


def test_a_rep_claims_a_pool_lead(org):
    lead = _pool_lead(org.peer)
    response = _client(org.owner).post(f"/leads/{lead.pk}/claim/")
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.pk}/"
    lead.refresh_from_db()
    assert lead.owner == org.owner and not lead.in_pool


def test_a_refused_claim_is_a_flash_message(org):
    org.owner.max_open_leads = 0
    org.owner.save()
    lead = _pool_lead(org.peer)
    response = _client(org.owner).post(
        f"/leads/{lead.pk}/claim/", {"next": "/leads/?in_pool=true"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/leads/?in_pool=true"
    assert "the limit is 0" in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).in_pool


def test_the_releasing_owner_is_cooled_off(org):
    lead = LeadFactory(owner=org.owner)
    client = _client(org.owner)
    assert client.get(f"/leads/{lead.pk}/release/").status_code == 200
    empty = client.post(f"/leads/{lead.pk}/release/", {"reason": ""})
    assert "reason" in empty.context["form"].errors and not Lead.objects.get(pk=lead.pk).in_pool
    done = client.post(f"/leads/{lead.pk}/release/", {"reason": "Wrong number"})
    assert done.status_code == 204 and done["HX-Redirect"] == "/leads/?in_pool=true"
    lead.refresh_from_db()
    assert lead.in_pool and lead.pool_reason == "Wrong number"
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-testid="pool-banner"' in page and 'data-testid="lead-claim"' in page
    again = client.post(f"/leads/{lead.pk}/claim/", follow=True).content.decode()
    assert "You released this lead recently" in again


# Risk -------------------------------------------------------------------------------------------


def test_risk_reasons_on_the_deal_page_the_card_and_the_workbench(org):
    deal = DealFactory(
        owner=org.owner,
        risk_level="high",
        risk_reasons=[reason("no_reply_twice"), reason("stalled", days=20, max_days=14)],
    )
    client = _client(org.owner)
    page = client.get(f"/deals/{deal.pk}/").content.decode()
    assert 'data-testid="risk-reasons"' in page
    assert "Two follow-ups in a row without a reply" in page
    assert "20 days in the stage, past its limit of 14" in page
    board = client.get("/deals/board/").content.decode()
    assert 'title="Two follow-ups in a row without a reply; 20 days' in board
    workbench = client.get("/").content.decode()
    assert 'data-testid="risk-reason"' in workbench


# Custom fields in the rule form ---------------------------------------------------------------


def _picker(response) -> dict:
    import re

    found = re.search(
        r'<script id="gd-custom-picker" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert found, "the picker's fields are embedded in the form"
    return json.loads(found.group(1))


def test_the_rule_form_picks_custom_fields_in_the_readers_language(org):
    from gendan.fields import services as field_services
    from tests.fields.definitions import PLANT, SEGMENT

    field_services.field_create(actor=org.admin, data=SEGMENT)
    field_services.field_create(actor=org.admin, data=PLANT)
    client = _client(org.manager)
    english = _picker(client.get("/settings/rules/new/"))
    segment = next(f for f in english["fields"] if f["path"] == "custom.segment")
    assert segment["object"] == "deal" and segment["label"] == "Industry segment"
    assert segment["ops"] == ["eq", "ne", "is_empty", "in"]
    assert segment["choices"][0] == {"value": "manufacturing", "label": "Manufacturing"}
    plant = next(f for f in english["fields"] if f["path"] == "custom.plant_size")
    assert plant["object"] == "lead" and "gte" in plant["ops"]
    assert english["ops"]["eq"] == "is"
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese.force_login(org.manager)
    page = chinese.get("/settings/rules/new/")
    picked = _picker(page)
    assert {f["label"] for f in picked["fields"]} == {"行业细分", "工厂面积"}
    assert picked["ops"]["eq"] == "是"
    assert 'data-testid="custom-picker"' in page.content.decode()


def test_a_rule_on_a_custom_field_from_the_form_reads_in_words(org):
    from gendan.fields import services as field_services
    from tests.fields.definitions import SEGMENT

    field_services.field_create(actor=org.admin, data=SEGMENT)
    cond = [{"field": "custom.segment", "op": "eq", "value": "manufacturing"}]
    action = [{"type": "set_field", "field": "custom.segment", "value": "retail"}]
    client = _client(org.manager)
    bad = client.post(
        "/settings/rules/new/",
        _form(conditions=json.dumps([{**cond[0], "value": "banking"}]), actions=json.dumps(action)),
    )
    assert "0.value: Choose one of" in bad.context["form"].errors["conditions"][0]
    response = client.post(
        "/settings/rules/new/", _form(conditions=json.dumps(cond), actions=json.dumps(action))
    )
    rule = Rule.objects.get()
    assert response.status_code == 302 and rule.conditions == cond
    page = client.get(f"/settings/rules/{rule.pk}/").content.decode()
    assert "Industry segment is Manufacturing" in page
    assert "Set Industry segment to Retail" in page
