"""Contracts (合同): create (also from a won deal), edit, activate, accept, terminate, delete."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.customers.models import Customer
from gendan.sales.models import Contract
from tests.contracts.conftest import active_contract, draft_contract, pay, plan, won_deal
from tests.factories import CustomerFactory, DealFactory, UserFactory


def _events(subject_field, obj, kind=None):
    qs = TimelineEvent.objects.filter(**{subject_field: obj})
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("id"))


def test_create_answers_201_with_a_generated_number_and_draft_status(org, api):
    # given a customer of the owner
    customer = CustomerFactory(owner=org.owner)
    # when the owner creates a contract
    response = api(org.owner).post(
        "/contracts",
        {
            "customer_id": customer.pk,
            "title": "ERP licence",
            "amount": "120000.5",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "pm_id": org.peer.pk,
            "terms": "30% on signing",
        },
    )
    # then it is a draft with a number, two-place money and zero received
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"C-\d{4}-\d{5}", body["number"])
    assert body["status"] == "draft"
    assert body["amount"] == "120000.50"
    assert body["currency"] == "CNY"
    assert body["received_amount"] == "0.00"
    assert body["outstanding_amount"] == "120000.50"
    assert body["overdue_amount"] == "0.00"
    assert body["planned_amount"] == "0.00"
    assert body["owner_id"] == org.owner.pk
    assert body["pm_id"] == org.peer.pk
    assert body["pm_name"] == org.peer.name
    assert body["customer_name"] == customer.name
    assert body["version"] == 1
    assert {"id", "created_at", "updated_at"} <= body.keys()
    contract = Contract.objects.get(pk=body["id"])
    assert [e.kind for e in _events("contract", contract)] == ["contract_created"]


def test_numbers_are_unique_and_consecutive(org):
    first = draft_contract(org.owner)
    second = draft_contract(org.owner)
    assert first.number != second.number
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"amount": "-1"}, "amount"),
        ({"currency": "rmb"}, "currency"),
        ({"pm_id": 999999}, "pm_id"),
        ("outsider_customer", "customer_id"),
        ("other_customer_deal", "deal_id"),
        ("outsider_owner", "owner_id"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(org, api, change, field):
    # given a valid body
    customer = CustomerFactory(owner=org.owner)
    body = {"customer_id": customer.pk, "amount": "100", "start_date": "2026-01-01"}
    if change == "outsider_customer":
        body["customer_id"] = CustomerFactory(owner=org.outsider).pk
    elif change == "other_customer_deal":
        body["deal_id"] = DealFactory(owner=org.owner).pk
    elif change == "outsider_owner":
        body["owner_id"] = org.outsider.pk
    else:
        body.update(change)
    # when it is sent with one bad field
    response = api(org.owner).post("/contracts", body)
    # then 422 names the field and nothing is written
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Contract.objects.count() == 0
    assert TimelineEvent.objects.filter(subject_type="contract").count() == 0


def test_contract_from_a_won_deal_takes_its_customer_owner_amount_and_name(org, api):
    # given a won deal
    deal = won_deal(org.owner, "88000.00", name="CRM rollout", currency="USD")
    # when the owner turns it into a contract
    response = api(org.owner).post(f"/deals/{deal.pk}/contract", {"pm_id": org.peer.pk})
    # then a draft carries the deal's figures
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["deal_id"] == deal.pk
    assert body["deal_name"] == "CRM rollout"
    assert body["customer_id"] == deal.customer_id
    assert body["owner_id"] == org.owner.pk
    assert body["amount"] == "88000.00"
    assert body["currency"] == "USD"
    assert body["title"] == "CRM rollout"
    assert body["pm_id"] == org.peer.pk


def test_contract_from_an_open_deal_is_409(org, api):
    deal = DealFactory(owner=org.owner)
    response = api(org.owner).post(f"/deals/{deal.pk}/contract", {})
    assert response.status_code == 409
    assert response.json()["deal_status"] == "open"
    assert Contract.objects.count() == 0


def test_a_won_deal_gets_one_live_contract(org, api):
    # given a won deal that already has a contract
    deal = won_deal(org.owner)
    client = api(org.owner)
    first = client.post(f"/deals/{deal.pk}/contract", {}).json()
    # when it is asked again
    response = client.post(f"/deals/{deal.pk}/contract", {})
    # then 409 names the existing contract
    assert response.status_code == 409
    assert response.json()["contract_id"] == first["id"]
    # and once that one is terminated a new one may be made
    client.post(f"/contracts/{first['id']}/terminate", {"reason": "Re-signed"})
    assert client.post(f"/deals/{deal.pk}/contract", {}).status_code == 201


def test_contract_from_a_deal_outside_scope_is_404(org, api):
    deal = won_deal(org.outsider)
    assert api(org.owner).post(f"/deals/{deal.pk}/contract", {}).status_code == 404


def test_activation_signs_and_makes_a_prospect_an_active_customer(org, api):
    # given a draft contract of a prospect customer
    customer = CustomerFactory(owner=org.owner)
    contract = draft_contract(org.owner, customer=customer)
    # when it is activated
    response = api(org.owner).post(f"/contracts/{contract.pk}/activate", {"version": 1})
    # then it is active, signed today, and the customer became active with a status event
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active"
    assert body["signed_at"] == timezone.localdate().isoformat()
    assert body["activated_at"] is not None
    assert body["version"] == 2
    customer.refresh_from_db()
    assert customer.status == "active"
    assert customer.version == 2
    (event,) = _events("customer", customer, "status_changed")
    assert event.data == {"field": "status", "from": "prospect", "to": "active"}
    assert [e.kind for e in _events("contract", contract)] == [
        "contract_created",
        "contract_activated",
    ]


def test_activation_keeps_a_signing_date_given_and_refuses_a_future_one(org, api):
    contract = draft_contract(org.owner)
    client = api(org.owner)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(f"/contracts/{contract.pk}/activate", {"signed_at": tomorrow})
    assert response.status_code == 422
    assert "signed_at" in response.json()["errors"]
    contract.refresh_from_db()
    assert contract.status == "draft"
    response = client.post(f"/contracts/{contract.pk}/activate", {"signed_at": "2026-01-05"})
    assert response.json()["signed_at"] == "2026-01-05"


def test_only_the_first_active_contract_moves_the_customer(org):
    # given a customer that is already active through a first contract, then set back by hand
    customer = CustomerFactory(owner=org.owner)
    active_contract(org.owner, customer=customer)
    Customer.objects.filter(pk=customer.pk).update(status="churned")
    # when a second contract is activated
    active_contract(org.owner, customer=customer)
    # then the customer's status is left alone
    customer.refresh_from_db()
    assert customer.status == "churned"


def test_activating_twice_is_409_and_a_stale_version_is_409(org, api):
    contract = draft_contract(org.owner)
    client = api(org.owner)
    assert client.post(f"/contracts/{contract.pk}/activate", {"version": 7}).status_code == 409
    assert client.post(f"/contracts/{contract.pk}/activate", {}).status_code == 200
    assert client.post(f"/contracts/{contract.pk}/activate", {}).status_code == 409


def test_accept_fulfils_an_active_contract(org, api):
    contract = active_contract(org.owner)
    client = api(org.owner)
    response = client.post(f"/contracts/{contract.pk}/accept", {})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "fulfilled"
    assert body["accepted_at"] is not None and body["fulfilled_at"] is not None
    (event,) = _events("contract", contract, "contract_fulfilled")
    assert event.data == {"via": "acceptance"}
    assert client.post(f"/contracts/{contract.pk}/accept", {}).status_code == 409


def test_accepting_a_draft_is_409(org, api):
    contract = draft_contract(org.owner)
    assert api(org.owner).post(f"/contracts/{contract.pk}/accept", {}).status_code == 409


def test_terminate_needs_a_reason(org, api):
    contract = active_contract(org.owner)
    client = api(org.owner)
    response = client.post(f"/contracts/{contract.pk}/terminate", {"reason": "  "})
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    response = client.post(f"/contracts/{contract.pk}/terminate", {"reason": "Budget cut"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "terminated"
    assert body["termination_reason"] == "Budget cut"
    (event,) = _events("contract", contract, "contract_terminated")
    assert event.data == {"reason": "Budget cut", "from": "active"}
    assert client.post(f"/contracts/{contract.pk}/terminate", {"reason": "x"}).status_code == 409


def test_patch_changes_fields_and_records_the_amount_change(org, api):
    contract = draft_contract(org.owner, "1000")
    response = api(org.owner).patch(
        f"/contracts/{contract.pk}", {"amount": "1500", "title": "Renamed", "version": 1}
    )
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == "1500.00"
    assert response.json()["version"] == 2
    kinds = [e.kind for e in _events("contract", contract)]
    assert "amount_changed" in kinds and "updated" in kinds


def test_patch_with_a_stale_version_is_409_and_changes_nothing(org, api):
    contract = draft_contract(org.owner, "1000")
    response = api(org.owner).patch(
        f"/contracts/{contract.pk}", {"title": "X"}, headers={"If-Match": "5"}
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    contract.refresh_from_db()
    assert contract.title == ""


def test_amount_cannot_drop_below_what_is_planned_or_received(org, api):
    # given an active contract of 1000 with 600 planned and 300 received
    contract = active_contract(org.owner, "1000")
    plan(org.owner, contract, "600")
    pay(org.owner, contract, "300")
    # when its amount is lowered to 500
    response = api(org.owner).patch(f"/contracts/{contract.pk}", {"amount": "500"})
    # then 422 gives the figures and the amount stays
    assert response.status_code == 422
    body = response.json()
    assert "600.00" in body["errors"]["amount"]
    assert body["planned"] == "600.00"
    assert body["received"] == "300.00"
    contract.refresh_from_db()
    assert contract.amount == Decimal("1000.00")
    # and lowering it to exactly what is planned works
    assert api(org.owner).patch(f"/contracts/{contract.pk}", {"amount": "600"}).status_code == 200


def test_currency_is_fixed_once_money_was_received(org, api):
    contract = active_contract(org.owner, "1000")
    pay(org.owner, contract, "10")
    response = api(org.owner).patch(f"/contracts/{contract.pk}", {"currency": "USD"})
    assert response.status_code == 422
    assert "currency" in response.json()["errors"]


def test_fulfilled_and_terminated_contracts_cannot_be_edited(org, api):
    contract = active_contract(org.owner)
    client = api(org.owner)
    client.post(f"/contracts/{contract.pk}/accept", {})
    assert client.patch(f"/contracts/{contract.pk}", {"title": "x"}).status_code == 409


def test_patch_owner_must_be_assignable(org, api):
    contract = draft_contract(org.owner)
    response = api(org.owner).patch(f"/contracts/{contract.pk}", {"owner_id": org.peer.pk})
    assert response.status_code == 422
    response = api(org.manager).patch(f"/contracts/{contract.pk}", {"owner_id": org.peer.pk})
    assert response.status_code == 200
    assert response.json()["owner_id"] == org.peer.pk


def test_delete_only_a_draft(org, api):
    draft = draft_contract(org.owner)
    active = active_contract(org.owner)
    client = api(org.owner)
    assert client.delete(f"/contracts/{active.pk}").status_code == 409
    assert client.delete(f"/contracts/{draft.pk}").status_code == 204
    assert not Contract.objects.filter(pk=draft.pk).exists()
    assert Contract.objects.filter(pk=active.pk).exists()


def test_list_filters(org, api):
    # given contracts in different states
    acme = CustomerFactory(owner=org.owner, name="Acme Robotics")
    a = draft_contract(org.owner, customer=acme, title="Robots")
    b = active_contract(org.owner, signed_at=date(2026, 1, 10))
    c = active_contract(org.owner, pm_id=org.peer.pk)
    plan(org.owner, c, "100", due_in_days=-3)
    client = api(org.owner)

    def ids(**params):
        response = client.get("/contracts", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    # then each filter keeps the right ones
    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(q="acme") == {a.pk}
    assert ids(q=b.number) == {b.pk}
    assert ids(status="active") == {b.pk, c.pk}
    assert ids(customer_id=acme.pk) == {a.pk}
    assert ids(pm_id=org.peer.pk) == {c.pk}
    assert ids(signed_from="2026-01-01", signed_to="2026-01-31") == {b.pk}
    assert ids(overdue="true") == {c.pk}
    assert ids(overdue="false") == {a.pk, b.pk}


def test_new_pm_must_be_an_active_user(org, api):
    gone = UserFactory(is_active=False)
    contract = draft_contract(org.owner)
    response = api(org.owner).patch(f"/contracts/{contract.pk}", {"pm_id": gone.pk})
    assert response.status_code == 422
    assert "pm_id" in response.json()["errors"]
