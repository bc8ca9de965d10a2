"""Concurrent payments on one contract are applied one after another (PostgreSQL row lock)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from gendan.core.errors import ValidationFailed
from gendan.sales.models import Payment
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
