"""Reads of payment plans and payments: visible exactly when their contract is."""

from django.db.models import Prefetch, Sum

from gendan.core.errors import NotFound
from gendan.sales.models import Payment, PaymentAllocation, PaymentPlan
from gendan.sales.schemas.payments import PaymentFilter, PlanFilter
from gendan.sales.selectors.contracts import contract_scoped


def _plans(actor):
    return contract_scoped(PaymentPlan.objects.select_related("contract"), actor)


def plan_list(*, actor, filters: PlanFilter | dict):
    qs = PlanFilter.of(filters).apply(_plans(actor))
    return qs.order_by("contract_id", "sequence", "id")


def plan_get(*, actor, plan_id: int) -> PaymentPlan:
    plan = _plans(actor).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    return plan


def _payments(actor):
    return contract_scoped(
        Payment.objects.select_related("contract", "recorded_by").prefetch_related(
            Prefetch("allocations", PaymentAllocation.objects.select_related("plan"))
        ),
        actor,
    )


def payment_list(*, actor, filters: PaymentFilter | dict):
    """`q` matches the contract's number, title or customer."""
    qs = PaymentFilter.of(filters).apply(_payments(actor))
    return qs.order_by("-received_at", "-id")


def payment_totals(payments) -> list[dict]:
    """The sum of a filtered payment list, one row per currency."""
    return [
        {"currency": row["contract__currency"], "amount": row["total"]}
        for row in payments.order_by()
        .values("contract__currency")
        .annotate(total=Sum("amount"))
        .order_by("contract__currency")
    ]


def payment_get(*, actor, payment_id: int) -> Payment:
    payment = _payments(actor).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound()
    return payment
