"""Each list runs the same number of queries for 3 rows or 20."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.sales.models import Payment, PaymentAllocation
from tests.contracts.conftest import ContractFactory, MilestoneFactory, PlanFactory, VisitFactory
from tests.factories import CustomerFactory

MAX_QUERIES = 8


def _contracts(org, n):
    for contract in ContractFactory.create_batch(n, owner=org.owner, pm=org.peer):
        PlanFactory(contract=contract, sequence=1)
        PlanFactory(contract=contract, sequence=2)


def _payments(org, n):
    for contract in ContractFactory.create_batch(n, owner=org.owner):
        installments = [PlanFactory(contract=contract, sequence=s) for s in (1, 2)]
        payment = Payment.objects.create(
            contract=contract,
            amount=Decimal("1500"),
            received_at="2026-01-05",
            recorded_by=org.owner,
        )
        PaymentAllocation.objects.create(payment=payment, plan=installments[0], amount=1000)
        PaymentAllocation.objects.create(payment=payment, plan=installments[1], amount=500)


def _customers(org, n):
    for customer in CustomerFactory.create_batch(n, owner=org.owner):
        VisitFactory.create_batch(2, customer=customer)


MAKERS = {
    "/contracts": _contracts,
    "/payment-plans": lambda org, n: PlanFactory.create_batch(n, contract__owner=org.owner),
    "/payments": _payments,
    "/milestones": lambda org, n: MilestoneFactory.create_batch(n, contract__owner=org.owner),
    "/visits": lambda org, n: VisitFactory.create_batch(n, customer__owner=org.owner),
    "/customers": _customers,
}


def _count(client, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), len(response.json()["items"])


@pytest.mark.parametrize("who", ["owner", "manager"])
@pytest.mark.parametrize("path", MAKERS)
def test_list_queries_do_not_grow_with_the_page(org, api, path, who):
    # given 3 rows, and a caller who has already used their token once
    client = api(getattr(org, who))
    client.get("/me")
    MAKERS[path](org, 3)
    few, rows = _count(client, path)
    assert rows == 3
    # when there are 20
    MAKERS[path](org, 17)
    many, rows = _count(client, path)
    assert rows == 20
    # then the list costs the same, and little
    assert many == few
    assert many <= MAX_QUERIES
