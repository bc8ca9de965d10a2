"""Payment plans (回款计划) and payments (回款): totals, allocation, refusals, undo."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.activities.models import Notification, TimelineEvent
from gendan.sales.models import Contract, Payment, PaymentAllocation, PaymentPlan
from gendan.sales.services import payments as payment_services
from tests.contracts.conftest import active_contract, draft_contract, pay, plan
from tests.factories import UserFactory


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def _plans(contract):
    return [
        (p.sequence, p.amount, p.received_amount)
        for p in PaymentPlan.objects.filter(contract=contract).order_by("sequence")
    ]


def _contract(client, contract):
    response = client.get(f"/contracts/{contract.pk}")
    assert response.status_code == 200
    body = response.json()
    return body["received_amount"], body["outstanding_amount"], body["overdue_amount"]


# Plans --------------------------------------------------------------------------------------


def test_plan_create_numbers_installments_and_records_an_event(org, api):
    contract = draft_contract(org.owner, "9000")
    client = api(org.owner)
    first = client.post(
        "/payment-plans", {"contract_id": contract.pk, "due_date": _day(10), "amount": "3000"}
    )
    second = client.post(
        "/payment-plans", {"contract_id": contract.pk, "due_date": _day(40), "amount": "3000"}
    )
    assert first.status_code == 201, first.content
    assert [first.json()["sequence"], second.json()["sequence"]] == [1, 2]
    body = first.json()
    assert body["status"] == "pending"
    assert body["amount"] == "3000.00"
    assert body["received_amount"] == "0.00"
    assert body["outstanding_amount"] == "3000.00"
    assert body["contract_number"] == contract.number
    event = TimelineEvent.objects.filter(contract=contract, kind="payment_planned").first()
    assert event.data["amount"] == "3000.00"
    assert client.get(f"/contracts/{contract.pk}").json()["planned_amount"] == "6000.00"


def test_over_planning_is_refused_with_the_figures_and_changes_nothing(org, api):
    # given a contract of 9000 with 6000 planned
    contract = draft_contract(org.owner, "9000")
    plan(org.owner, contract, "6000")
    # when an installment of 3000.01 is added
    response = api(org.owner).post(
        "/payment-plans", {"contract_id": contract.pk, "due_date": _day(10), "amount": "3000.01"}
    )
    # then 422 says how much may still be planned, and nothing is written
    assert response.status_code == 422
    body = response.json()
    assert body["contract_amount"] == "9000.00"
    assert body["planned"] == "6000.00"
    assert body["available"] == "3000.00"
    assert "3000.00" in body["errors"]["amount"] and "9000.00" in body["errors"]["amount"]
    assert PaymentPlan.objects.filter(contract=contract).count() == 1
    assert TimelineEvent.objects.filter(contract=contract, kind="payment_planned").count() == 1


def test_plan_patch_respects_the_total_and_what_was_received(org, api):
    contract = active_contract(org.owner, "9000")
    one = plan(org.owner, contract, "3000")
    plan(org.owner, contract, "3000")
    pay(org.owner, contract, "1000")
    client = api(org.owner)
    response = client.patch(f"/payment-plans/{one.pk}", {"amount": "999"})
    assert response.status_code == 422
    assert response.json()["received"] == "1000.00"
    response = client.patch(f"/payment-plans/{one.pk}", {"amount": "6000.01"})
    assert response.status_code == 422
    assert response.json()["available"] == "6000.00"
    response = client.patch(f"/payment-plans/{one.pk}", {"amount": "6000", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == "6000.00"
    assert client.patch(f"/payment-plans/{one.pk}", {"notes": "x", "version": 1}).status_code == 409


def test_duplicate_sequence_is_422(org, api):
    contract = draft_contract(org.owner, "9000")
    plan(org.owner, contract, "100", sequence=2)
    response = api(org.owner).post(
        "/payment-plans",
        {"contract_id": contract.pk, "due_date": _day(1), "amount": "1", "sequence": 2},
    )
    assert response.status_code == 422
    assert "sequence" in response.json()["errors"]


def test_plan_delete_only_without_money(org, api):
    contract = active_contract(org.owner, "9000")
    paid = plan(org.owner, contract, "1000")
    empty = plan(org.owner, contract, "1000")
    pay(org.owner, contract, "10")
    client = api(org.owner)
    assert client.delete(f"/payment-plans/{paid.pk}").status_code == 409
    assert client.delete(f"/payment-plans/{empty.pk}").status_code == 204
    assert _plans(contract) == [(1, Decimal("1000.00"), Decimal("10.00"))]


def test_plans_of_a_terminated_contract_do_not_change(org, api):
    contract = active_contract(org.owner, "9000")
    one = plan(org.owner, contract, "1000")
    client = api(org.owner)
    client.post(f"/contracts/{contract.pk}/terminate", {"reason": "Cancelled"})
    body = {"contract_id": contract.pk, "due_date": _day(1), "amount": "1"}
    assert client.post("/payment-plans", body).status_code == 409
    assert client.patch(f"/payment-plans/{one.pk}", {"amount": "2"}).status_code == 409


def test_plan_status_is_derived_and_filterable(org, api):
    # given four installments: paid, partial (due later), overdue, pending
    contract = active_contract(org.owner, "4000")
    paid = plan(org.owner, contract, "1000", due_in_days=-10)
    overdue = plan(org.owner, contract, "1000", due_in_days=-1)
    partial = plan(org.owner, contract, "1000", due_in_days=5)
    pending = plan(org.owner, contract, "1000", due_in_days=20)
    pay(org.owner, contract, "1000", plan_id=paid.pk)
    pay(org.owner, contract, "400", plan_id=partial.pk)
    client = api(org.owner)
    # then each shows its status, and the status filter finds it
    items = client.get("/payment-plans", {"contract_id": contract.pk}).json()["items"]
    assert [(i["id"], i["status"]) for i in items] == [
        (paid.pk, "paid"),
        (overdue.pk, "overdue"),
        (partial.pk, "partial"),
        (pending.pk, "pending"),
    ]
    for status, expected in [
        ("paid", paid),
        ("overdue", overdue),
        ("partial", partial),
        ("pending", pending),
    ]:
        found = client.get("/payment-plans", {"contract_id": contract.pk, "status": status})
        assert [i["id"] for i in found.json()["items"]] == [expected.pk]
    # and the contract's overdue amount is what the overdue installment still lacks
    assert _contract(client, contract) == ("1400.00", "2600.00", "1000.00")


# Payments -----------------------------------------------------------------------------------


def test_payment_without_plan_goes_to_the_oldest_open_installment(org, api):
    # given three installments of 3000
    contract = active_contract(org.owner, "9000")
    for days in (10, 40, 70):
        plan(org.owner, contract, "3000", due_in_days=days)
    # when 4000 is received without naming an installment
    response = api(org.owner).post(
        "/payments",
        {"contract_id": contract.pk, "amount": "4000", "method": "cheque", "reference": "CHQ-1"},
    )
    # then installment 1 is paid, installment 2 got 1000
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "4000.00"
    assert body["received_at"] == timezone.localdate().isoformat()
    assert body["method"] == "cheque"
    assert [(a["sequence"], a["amount"]) for a in body["allocations"]] == [
        (1, "3000.00"),
        (2, "1000.00"),
    ]
    assert body["unallocated_amount"] == "0.00"
    assert _plans(contract) == [
        (1, Decimal("3000.00"), Decimal("3000.00")),
        (2, Decimal("3000.00"), Decimal("1000.00")),
        (3, Decimal("3000.00"), Decimal("0.00")),
    ]
    contract.refresh_from_db()
    assert contract.received_amount == Decimal("4000.00")


def test_payment_for_a_plan_fills_it_first_then_the_oldest(org, api):
    contract = active_contract(org.owner, "9000")
    plans = [plan(org.owner, contract, "3000", due_in_days=d) for d in (10, 40, 70)]
    response = api(org.owner).post(
        "/payments", {"contract_id": contract.pk, "plan_id": plans[2].pk, "amount": "5000"}
    )
    assert response.status_code == 201
    assert [(a["sequence"], a["amount"]) for a in response.json()["allocations"]] == [
        (3, "3000.00"),
        (1, "2000.00"),
    ]


def test_money_beyond_the_installments_waits_for_the_next_one(org, api):
    # given a contract of 9000 with one installment of 3000
    contract = active_contract(org.owner, "9000")
    plan(org.owner, contract, "3000")
    # when 5000 is received
    payment = pay(org.owner, contract, "5000")
    # then 2000 stays unallocated
    body = api(org.owner).get(f"/payments/{payment.pk}").json()
    assert body["unallocated_amount"] == "2000.00"
    # and a new installment of 3000 takes it at once
    second = plan(org.owner, contract, "3000")
    assert second.received_amount == Decimal("2000.00")
    assert api(org.owner).get(f"/payments/{payment.pk}").json()["unallocated_amount"] == "0.00"


def test_overpaying_is_refused_with_the_figures_and_changes_nothing(org, api):
    # given a contract of 9000 with 8000 received
    contract = active_contract(org.owner, "9000")
    plan(org.owner, contract, "9000")
    pay(org.owner, contract, "8000")
    # when 1000.01 more is recorded
    response = api(org.owner).post("/payments", {"contract_id": contract.pk, "amount": "1000.01"})
    # then 422 gives the payment and what is outstanding, and nothing is written
    assert response.status_code == 422
    body = response.json()
    assert body["amount"] == "1000.01"
    assert body["outstanding"] == "1000.00"
    assert "1000.00" in body["errors"]["amount"]
    assert Payment.objects.filter(contract=contract).count() == 1
    contract.refresh_from_db()
    assert contract.received_amount == Decimal("8000.00")
    assert _plans(contract) == [(1, Decimal("9000.00"), Decimal("8000.00"))]
    assert TimelineEvent.objects.filter(contract=contract, kind="payment_recorded").count() == 1
    # and exactly the rest is accepted
    assert (
        api(org.owner)
        .post("/payments", {"contract_id": contract.pk, "amount": "1000.00"})
        .status_code
        == 201
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"received_at": "tomorrow"}, "received_at"),
        ({"method": "bitcoin"}, "method"),
        ({"plan_id": "other"}, "plan_id"),
        ({"contract_id": "outsider"}, "contract_id"),
    ],
)
def test_payment_bad_input_is_422(org, api, change, field):
    contract = active_contract(org.owner, "9000")
    other = active_contract(org.owner, "9000")
    other_plan = plan(org.owner, other, "100")
    body = {"contract_id": contract.pk, "amount": "10", **change}
    if change.get("received_at") == "tomorrow":
        body["received_at"] = _day(1)
    if change.get("plan_id") == "other":
        body["plan_id"] = other_plan.pk
    if change.get("contract_id") == "outsider":
        body["contract_id"] = active_contract(org.outsider).pk
    response = api(org.owner).post("/payments", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Payment.objects.count() == 0


def test_draft_and_terminated_contracts_take_no_payments(org, api):
    draft = draft_contract(org.owner)
    ended = active_contract(org.owner)
    client = api(org.owner)
    client.post(f"/contracts/{ended.pk}/terminate", {"reason": "x"})
    for contract in (draft, ended):
        response = client.post("/payments", {"contract_id": contract.pk, "amount": "1"})
        assert response.status_code == 409
    assert Payment.objects.count() == 0


def test_a_fulfilled_contract_still_takes_payments(org, api):
    contract = active_contract(org.owner, "100")
    client = api(org.owner)
    client.post(f"/contracts/{contract.pk}/accept", {})
    assert (
        client.post("/payments", {"contract_id": contract.pk, "amount": "100"}).status_code == 201
    )


def test_payment_notifies_the_owner_and_pm_and_records_an_event(org, api):
    # given a contract of the owner delivered by the peer
    contract = active_contract(org.owner, "9000", pm_id=org.peer.pk)
    # when the manager records a payment
    response = api(org.manager).post(
        "/payments",
        {"contract_id": contract.pk, "amount": "1234.5", "received_at": _day(-1)},
    )
    assert response.status_code == 201
    # then the owner and the PM are notified, not the manager
    notes = Notification.objects.filter(kind="payment_recorded")
    assert {n.recipient_id for n in notes} == {org.owner.pk, org.peer.pk}
    note = notes.get(recipient=org.owner)
    assert note.target_type == "contract" and note.target_id == contract.pk
    assert "1234.50" in note.message and contract.number in note.message
    event = TimelineEvent.objects.get(contract=contract, kind="payment_recorded")
    assert event.actor_id == org.manager.pk
    assert event.data == {
        "payment_id": response.json()["id"],
        "amount": "1234.50",
        "currency": "CNY",
        "received_at": _day(-1),
        "method": "bank_transfer",
    }


def test_payment_delete_is_for_payment_admins_and_reverses_allocations(org, api):
    # given two payments over two installments
    contract = active_contract(org.owner, "9000")
    plan(org.owner, contract, "3000")
    plan(org.owner, contract, "3000")
    first = pay(org.owner, contract, "3000")
    second = pay(org.owner, contract, "4000")  # 3000 to installment 2, 1000 unallocated
    # when the owner tries to delete the first one
    assert api(org.owner).delete(f"/payments/{first.pk}").status_code == 403
    # and the manager deletes it
    assert api(org.manager).delete(f"/payments/{first.pk}").status_code == 204
    # then the contract's received drops, and the second payment's spare 1000 fills installment 1
    contract.refresh_from_db()
    assert contract.received_amount == Decimal("4000.00")
    assert _plans(contract) == [
        (1, Decimal("3000.00"), Decimal("1000.00")),
        (2, Decimal("3000.00"), Decimal("3000.00")),
    ]
    assert PaymentAllocation.objects.filter(payment_id=first.pk).count() == 0
    assert sum(a.amount for a in second.allocations.all()) == Decimal("4000.00")
    event = TimelineEvent.objects.filter(contract=contract, kind="updated").last()
    assert event.data["payment_deleted"] == first.pk


def test_payment_admin_roles(org, api):
    contract = active_contract(org.owner, "9000")
    ops = UserFactory(role_code="ops", team=org.team_a)
    payments = [pay(org.owner, contract, "1") for _ in range(3)]
    assert api(ops).delete(f"/payments/{payments[0].pk}").status_code == 204
    assert api(org.admin).delete(f"/payments/{payments[1].pk}").status_code == 204
    assert api(org.superuser).delete(f"/payments/{payments[2].pk}").status_code == 204
    assert Contract.objects.get(pk=contract.pk).received_amount == Decimal("0.00")


def test_payment_patch_fixes_the_reference_only(org, api):
    contract = active_contract(org.owner, "9000")
    payment = pay(org.owner, contract, "10")
    client = api(org.owner)
    response = client.patch(f"/payments/{payment.pk}", {"reference": "TX-9", "version": 1})
    assert response.status_code == 200
    assert response.json()["reference"] == "TX-9"
    assert response.json()["version"] == 2
    assert client.patch(f"/payments/{payment.pk}", {"received_at": _day(2)}).status_code == 422
    assert api(org.peer).patch(f"/payments/{payment.pk}", {"notes": "x"}).status_code == 404


def test_payments_list_filters(org, api):
    contract = active_contract(org.owner, "9000")
    other = active_contract(org.owner, "9000")
    a = pay(
        org.owner,
        contract,
        "10",
        method="cash",
        received_at=timezone.localdate() - timedelta(days=5),
    )
    b = pay(org.owner, other, "20")
    client = api(org.owner)

    def ids(**params):
        return [i["id"] for i in client.get("/payments", params).json()["items"]]

    assert ids() == [b.pk, a.pk]
    assert ids(contract_id=contract.pk) == [a.pk]
    assert ids(method="cash") == [a.pk]
    assert ids(received_from=_day(-1)) == [b.pk]


def test_amounts_add_up_under_many_payments(org):
    # given a contract of 100.00 in three installments that do not split evenly
    contract = active_contract(org.owner, "100.00")
    for amount in ("33.33", "33.33", "33.34"):
        plan(org.owner, contract, amount)
    # when it is paid in seven uneven pieces
    for amount in ("0.01", "10", "23.32", "0.5", "40", "26.16", "0.01"):
        payment_services.payment_record(
            actor=org.owner, data={"contract_id": contract.pk, "amount": Decimal(amount)}
        )
    # then everything is paid to the cent and every allocation adds up
    contract.refresh_from_db()
    assert contract.received_amount == contract.amount
    assert all(p.received_amount == p.amount for p in contract.plans.all())
    total = sum(a.amount for a in PaymentAllocation.objects.filter(payment__contract=contract))
    assert total == Decimal("100.00")


def test_the_worked_example_of_docs_contracts_md(org, api):
    # given a contract of 9000 in three installments, the first one past due
    contract = active_contract(org.owner, "9000")
    one, _two, three = (plan(org.owner, contract, "3000", due_in_days=d) for d in (-15, 76, 168))
    client = api(org.owner)

    def state():
        plans = client.get("/payment-plans", {"contract_id": contract.pk}).json()["items"]
        return [(p["received_amount"], p["status"]) for p in plans], _contract(client, contract)

    assert state() == (
        [("0.00", "overdue"), ("0.00", "pending"), ("0.00", "pending")],
        ("0.00", "9000.00", "3000.00"),
    )
    pay(org.owner, contract, "2000", plan_id=one.pk)
    assert state() == (
        [("2000.00", "overdue"), ("0.00", "pending"), ("0.00", "pending")],
        ("2000.00", "7000.00", "1000.00"),
    )
    pay(org.owner, contract, "2500")
    assert state() == (
        [("3000.00", "paid"), ("1500.00", "partial"), ("0.00", "pending")],
        ("4500.00", "4500.00", "0.00"),
    )
    pay(org.owner, contract, "4000", plan_id=three.pk)
    assert state() == (
        [("3000.00", "paid"), ("2500.00", "partial"), ("3000.00", "paid")],
        ("8500.00", "500.00", "0.00"),
    )
    response = client.post("/payments", {"contract_id": contract.pk, "amount": "600"})
    assert response.status_code == 422
    assert (response.json()["amount"], response.json()["outstanding"]) == ("600.00", "500.00")
