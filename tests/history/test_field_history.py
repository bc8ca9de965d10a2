"""Field history: every write path of the seven records leaves who, when, through what and
old → new, in one INSERT per write; the history is read under the record's scope."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.automation import engine
from gendan.automation import services as rule_services
from gendan.customers import services as customer_services
from gendan.deals import conversion
from gendan.deals import services as deal_services
from gendan.fields import services as field_services
from gendan.followups import services as followup_services
from gendan.history.models import FieldChange
from gendan.leads import pool
from gendan.leads import services as lead_services
from gendan.org.system import system_actor
from gendan.sales.services import payments as payment_services
from tests.contracts.conftest import active_contract, pay, plan
from tests.factories import ContactFactory, CustomerFactory, DealFactory, LeadFactory, stage


def _rows(record, **filters):
    return list(
        FieldChange.objects.filter(
            record_type=record._meta.model_name, record_id=record.pk, **filters
        ).order_by("id")
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_api_update_keeps_each_field_in_one_insert(org, api):
    lead = LeadFactory(owner=org.owner, name="Wang", company="Acme")
    with CaptureQueriesContext(connection) as queries:
        response = api(org.manager).patch(
            f"/leads/{lead.pk}",
            {"name": "Wang Wei", "company": "Acme Ltd", "owner_id": org.peer.pk},
        )
    assert response.status_code == 200
    inserts = [q for q in queries if 'INSERT INTO "history_fieldchange"' in q["sql"]]
    assert len(inserts) == 1
    rows = {r.field: r for r in _rows(lead)}
    assert set(rows) == {"name", "company", "owner"}
    assert (rows["name"].old, rows["name"].new) == ("Wang", "Wang Wei")
    assert (rows["owner"].old, rows["owner"].new) == (org.owner.pk, org.peer.pk)
    assert rows["name"].actor == org.manager and rows["name"].via == "api"
    # read back: the owner by name, newest first, through the record's scope
    body = api(org.manager).get(f"/leads/{lead.pk}/history").json()
    assert body["count"] == 3
    owner = next(item for item in body["items"] if item["field"] == "owner")
    assert (owner["old_text"], owner["new_text"]) == (org.owner.name, org.peer.name)
    assert owner["actor_name"] == org.manager.name and owner["via"] == "api"


def test_history_is_scoped_like_its_record(org, api):
    lead = LeadFactory(owner=org.owner)
    lead_services.lead_update(actor=org.owner, lead_id=lead.pk, data={"name": "Changed"})
    assert api(org.outsider).get(f"/leads/{lead.pk}/history").status_code == 404
    assert api(org.owner).get("/leads/999999/history").status_code == 404
    deal = DealFactory(owner=org.owner)
    assert api(org.outsider).get(f"/deals/{deal.pk}/history").status_code == 404
    customer = CustomerFactory(owner=org.owner)
    assert api(org.outsider).get(f"/customers/{customer.pk}/history").status_code == 404
    contact = ContactFactory(customer=customer)
    assert api(org.outsider).get(f"/contacts/{contact.pk}/history").status_code == 404
    contract = active_contract(org.owner, amount="1000")
    installment = plan(org.owner, contract, "1000")
    payment = pay(org.owner, contract, "400")
    for path in (
        f"/contracts/{contract.pk}",
        f"/payment-plans/{installment.pk}",
        f"/payments/{payment.pk}",
    ):
        assert api(org.outsider).get(f"{path}/history").status_code == 404
        assert api(org.owner).get(f"{path}/history").status_code == 200


def test_a_custom_field_the_reader_may_not_see_is_left_out(org, api):
    field_services.field_create(
        actor=org.admin,
        data={
            "record_type": "lead",
            "key": "budget_note",
            "label_en": "Budget note",
            "label_zh": "预算备注",
            "type": "text",
            "visible_to": ["sm"],
        },
    )
    field_services.field_create(
        actor=org.admin,
        data={
            "record_type": "lead",
            "key": "segment",
            "label_en": "Segment",
            "label_zh": "细分",
            "type": "choice",
            "choices": [{"value": "retail", "label_en": "Retail", "label_zh": "零售"}],
        },
    )
    lead = LeadFactory(owner=org.owner)
    lead_services.lead_update(
        actor=org.admin,
        lead_id=lead.pk,
        data={"custom": {"budget_note": "tight", "segment": "retail"}},
    )
    assert {r.field for r in _rows(lead)} == {"custom.budget_note", "custom.segment"}
    seen = api(org.owner).get(f"/leads/{lead.pk}/history").json()
    assert seen["count"] == 1
    assert seen["items"][0]["field"] == "custom.segment"
    assert seen["items"][0]["new_text"] == "零售" and seen["items"][0]["label"] == "细分"
    manager = api(org.manager).get(f"/leads/{lead.pk}/history").json()
    assert {item["field"] for item in manager["items"]} == {"custom.budget_note", "custom.segment"}


def test_a_web_form_edit_is_kept_as_the_web_apps(org):
    lead = LeadFactory(owner=org.owner, name="Old", company="Acme")
    form = {"version": lead.version, "name": "New", "company": "Acme", "source": "other"}
    response = _client(org.owner).post(f"/leads/{lead.pk}/edit/", form)
    assert response.status_code in (204, 302)
    row = next(r for r in _rows(lead) if r.field == "name")
    assert (row.old, row.new, row.via, row.actor) == ("Old", "New", "web", org.owner)


def test_bulk_reassign_keeps_each_records_owner_change(org):
    leads = [LeadFactory(owner=org.owner) for _ in range(2)]
    ids = ",".join(str(lead.pk) for lead in leads)
    _client(org.manager).post("/leads/bulk-assign/", {"ids": ids, "owner_id": org.peer.pk})
    for lead in leads:
        (row,) = _rows(lead, field="owner")
        assert (row.old, row.new, row.actor, row.via) == (
            org.owner.pk,
            org.peer.pk,
            org.manager,
            "web",
        )


def test_an_automation_set_field_is_kept_as_automation(org):
    rule = rule_services.rule_create(
        actor=org.admin,
        data={
            "name": "qualify",
            "object": "lead",
            "trigger": {"type": "created"},
            "conditions": [],
            "actions": [{"type": "set_field", "field": "status", "value": "qualified"}],
        },
    )
    lead = LeadFactory(owner=org.owner)
    now = timezone.now()
    engine.fire(rule, lead.pk, occurrence=f"t:{now.isoformat()}", now=now)
    (row,) = _rows(lead, field="status")
    assert (row.old, row.new, row.actor, row.via) == ("new", "qualified", None, "automation")


def test_pool_release_and_claim(org, api):
    sdr = org.owner
    lead = LeadFactory(owner=org.peer)
    pool.lead_move_to_pool(actor=system_actor(), lead_id=lead.pk, reason="Silent")
    entered = {r.field: r for r in _rows(lead)}
    assert entered["in_pool"].new is True and entered["pool_reason"].new == "Silent"
    assert entered["in_pool"].actor is None and entered["in_pool"].via == "system"
    pool.lead_claim(actor=sdr, lead_id=lead.pk)
    claimed = {r.field: r for r in _rows(lead) if r.actor_id == sdr.pk}
    assert (claimed["owner"].old, claimed["owner"].new) == (org.peer.pk, sdr.pk)
    assert (claimed["in_pool"].old, claimed["in_pool"].new) == (True, False)


def test_a_stage_move_and_a_follow_up(org):
    deal = DealFactory(owner=org.owner)
    old_stage = deal.stage_id
    target = stage("Lost")
    deal_services.deal_move(
        actor=org.owner, deal_id=deal.pk, stage_id=target.pk, lost_reason="Price"
    )
    rows = {r.field: r for r in _rows(deal)}
    assert (rows["stage"].old, rows["stage"].new) == (old_stage, target.pk)
    assert (rows["status"].new, rows["lost_reason"].new) == ("lost", "Price")
    lead = LeadFactory(owner=org.owner)
    followup_services.activity_log(
        actor=org.owner,
        data={
            "subject_type": "lead",
            "subject_id": lead.pk,
            "summary": "Called",
            "channel": "call",
        },
    )
    (row,) = _rows(lead, field="status")
    assert (row.old, row.new, row.actor) == ("new", "contacted", org.owner)


def test_conversion_keeps_the_leads_new_status_and_links(org):
    lead = LeadFactory(owner=org.owner, company="Xinghe")
    links = conversion.lead_convert(actor=org.owner, lead_id=lead.pk)
    rows = {r.field: r for r in _rows(lead)}
    assert (rows["status"].old, rows["status"].new) == ("new", "converted")
    assert rows["customer"].new == links["customer_id"]


def test_customer_and_contact_updates(org):
    customer = CustomerFactory(owner=org.owner, name="Acme")
    customer_services.customer_update(
        actor=org.owner, customer_id=customer.pk, data={"name": "Acme Ltd"}
    )
    assert [(r.field, r.new) for r in _rows(customer)] == [("name", "Acme Ltd")]
    first = customer_services.contact_create(
        actor=org.owner, data={"customer_id": customer.pk, "name": "Li"}
    )
    second = customer_services.contact_create(
        actor=org.owner, data={"customer_id": customer.pk, "name": "Zhao"}
    )
    customer_services.contact_update(
        actor=org.owner, contact_id=second.pk, data={"is_primary": True, "title": "CTO"}
    )
    assert {(r.field, r.new) for r in _rows(second)} == {("is_primary", True), ("title", "CTO")}
    assert [(r.field, r.old, r.new) for r in _rows(first)] == [("is_primary", True, False)]


def test_contract_plan_and_payment_writes(org):
    contract = active_contract(org.owner, amount="1000")
    assert ("status", "draft", "active") in [(r.field, r.old, r.new) for r in _rows(contract)]
    installment = plan(org.owner, contract, "1000")
    payment_services.plan_update(
        actor=org.owner, plan_id=installment.pk, data={"notes": "first half"}
    )
    assert [(r.field, r.new) for r in _rows(installment)] == [("notes", "first half")]
    payment = pay(org.owner, contract, "400")
    received = _rows(contract, field="received_amount")
    assert [(r.old, r.new) for r in received] == [("0.00", "400.00")]
    assert [(r.old, r.new) for r in _rows(installment, field="received_amount")] == [
        ("0.00", "400.00")
    ]
    payment_services.payment_update(
        actor=org.owner, payment_id=payment.pk, data={"reference": "TX-1"}
    )
    assert [(r.field, r.new) for r in _rows(payment)] == [("reference", "TX-1")]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_history_reads_in_the_callers_language(org, api, language):
    deal = DealFactory(owner=org.owner, amount=Decimal("100"))
    deal_services.deal_update(actor=org.owner, deal_id=deal.pk, data={"amount": Decimal("250")})
    body = (
        api(org.owner)
        .get(f"/deals/{deal.pk}/history", headers={"Accept-Language": language})
        .json()
    )
    (item,) = body["items"]
    assert item["field"] == "amount" and item["new_text"] == "250.00"
    assert item["label"] == ("金额" if language == "zh-hans" else "Amount")
