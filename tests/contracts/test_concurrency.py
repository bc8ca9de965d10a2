"""Concurrent payments on one contract are applied one after another (PostgreSQL row lock):
real threads, each with its own connection, on the committed test database."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from gendan.core.errors import ValidationFailed
from gendan.sales.models import Payment, PaymentAllocation
from gendan.sales.services import payments as payment_services
from tests.contracts.conftest import active_contract, plan
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]


def test_two_payments_for_the_whole_rest_at_once_let_only_one_through():
    # given an active contract with 9000 outstanding
    owner = UserFactory(role_code="ae")
    contract = active_contract(owner, "9000")
    plan(owner, contract, "9000")
    barrier = threading.Barrier(2)
    outcomes = []

    def record():
        try:
            barrier.wait()
            payment_services.payment_record(
                actor=owner, data={"contract_id": contract.pk, "amount": Decimal("9000")}
            )
            outcomes.append("ok")
        except ValidationFailed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    # when two clerks record the full 9000 at the same moment
    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one is recorded and the other refused: the contract is never overpaid
    assert sorted(outcomes) == ["ok", "refused"]
    contract.refresh_from_db()
    assert contract.received_amount == Decimal("9000.00")
    assert Payment.objects.filter(contract=contract).count() == 1


def test_many_clerks_paying_one_installment_at_once_never_collect_more_than_the_contract():
    # given a contract of 10000 with two installments, 4000 (the first) and 3000
    owner = UserFactory(role_code="ae")
    contract = active_contract(owner, "10000")
    first = plan(owner, contract, "4000")
    second = plan(owner, contract, "3000", due_in_days=60)
    clerks = 12
    barrier = threading.Barrier(clerks)
    outcomes = []

    def record():
        try:
            barrier.wait()
            payment_services.payment_record(
                actor=owner,
                data={"contract_id": contract.pk, "plan_id": first.pk, "amount": Decimal(1000)},
            )
            outcomes.append("ok")
        except ValidationFailed:
            outcomes.append("refused")
        except Exception as exc:  # reported, and the test fails on it
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    # when twelve clerks each record 1000 for the first installment at the same moment
    threads = [threading.Thread(target=record) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then ten are recorded (the contract's whole amount) and two refused
    assert sorted(outcomes) == ["ok"] * 10 + ["refused"] * 2
    contract.refresh_from_db()
    assert contract.received_amount == Decimal("10000.00")
    # and the installments got exactly what they lack, the rest stays unallocated
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.received_amount, first.status) == (Decimal("4000.00"), "paid")
    assert (second.received_amount, second.status) == (Decimal("3000.00"), "paid")
    payments = Payment.objects.filter(contract=contract)
    assert payments.count() == 10
    allocated = PaymentAllocation.objects.filter(payment__contract=contract)
    assert sum(a.amount for a in allocated) == Decimal("7000.00")
