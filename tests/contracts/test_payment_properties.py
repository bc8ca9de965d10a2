"""Payment invariants, for any mix of installments, payments and undos: the money adds up."""

from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.core.errors import ValidationFailed
from gendan.sales.models import Contract, Payment, PaymentAllocation
from gendan.sales.services import payments as payment_services
from tests.contracts.conftest import active_contract

cents = st.integers(min_value=1, max_value=5_000_00).map(lambda c: Decimal(c) / 100)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("plan"), cents, st.none()),
        st.tuples(st.just("pay"), cents, st.one_of(st.none(), st.integers(0, 5))),
        st.tuples(st.just("undo"), st.just(Decimal(0)), st.integers(0, 5)),
    ),
    max_size=15,
)


def _run(org, contract, step):
    kind, amount, index = step
    plans = list(contract.plans.order_by("sequence"))
    payments = list(Payment.objects.filter(contract=contract).order_by("id"))
    if kind == "plan":
        payment_services.plan_create(
            actor=org.owner,
            data={"contract_id": contract.pk, "amount": amount, "due_date": "2026-06-30"},
        )
    elif kind == "pay":
        plan_id = plans[index % len(plans)].pk if plans and index is not None else None
        payment_services.payment_record(
            actor=org.owner,
            data={"contract_id": contract.pk, "amount": amount, "plan_id": plan_id},
        )
    elif payments:
        payment_services.payment_delete(
            actor=org.admin, payment_id=payments[index % len(payments)].pk
        )


@settings(
    max_examples=40,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(amount=cents, script=steps)
def test_received_planned_and_allocated_money_always_add_up(org, amount, script):
    with transaction.atomic():
        # given a contract and any sequence of installments, payments and undone payments
        contract = active_contract(org.owner, str(amount))
        for step in script:
            try:
                with transaction.atomic():
                    _run(org, contract, step)
            except ValidationFailed:
                pass  # over-planned or overpaid: refused, nothing written
        contract = Contract.objects.get(pk=contract.pk)
        plans = list(contract.plans.all())
        payments = list(Payment.objects.filter(contract=contract))
        allocations = list(PaymentAllocation.objects.filter(payment__contract=contract))
        transaction.set_rollback(True)

    # then the contract never holds more than its amount, in installments or in payments
    assert sum((p.amount for p in plans), Decimal(0)) <= contract.amount
    assert contract.received_amount == sum((p.amount for p in payments), Decimal(0))
    assert contract.received_amount <= contract.amount
    # and every installment's received amount is exactly what was allocated to it
    for plan in plans:
        allocated = sum((a.amount for a in allocations if a.plan_id == plan.pk), Decimal(0))
        assert allocated == plan.received_amount <= plan.amount
    # and no payment is allocated beyond its amount
    for payment in payments:
        allocated = sum((a.amount for a in allocations if a.payment_id == payment.pk), Decimal(0))
        assert allocated <= payment.amount
    # and money is left unallocated only when every installment is paid
    unallocated = contract.received_amount - sum((a.amount for a in allocations), Decimal(0))
    if unallocated > 0:
        assert all(plan.received_amount == plan.amount for plan in plans)
