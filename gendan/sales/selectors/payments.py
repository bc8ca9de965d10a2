"""Reads of payment plans and payments: visible exactly when their contract is."""

from django.db.models import F, Prefetch, Q, Sum
from django.utils import timezone

from gendan.core.errors import NotFound
from gendan.core.selectors import exact_filters, range_filters, text_search
from gendan.sales.choices import PlanStatus
from gendan.sales.models import Payment, PaymentAllocation, PaymentPlan
from gendan.sales.selectors.contracts import contract_scoped


def plan_status_q(status: str, today) -> Q:
    """The derived status of `PaymentPlan.status_on(today)` as a filter."""
    paid = Q(received_amount__gte=F("amount"))
    unpaid = Q(received_amount__lt=F("amount"))
    return {
        PlanStatus.PAID: paid,
        PlanStatus.OVERDUE: unpaid & Q(due_date__lt=today),
        PlanStatus.PARTIAL: unpaid & Q(due_date__gte=today, received_amount__gt=0),
        PlanStatus.PENDING: unpaid & Q(due_date__gte=today, received_amount=0),
    }[status]


def _plans(actor):
    return contract_scoped(PaymentPlan.objects.select_related("contract"), actor)


def plan_list(*, actor, filters: dict):
    qs = exact_filters(_plans(actor), filters, ("contract_id",))
    qs = range_filters(qs, filters, {"due_from": "due_date__gte", "due_to": "due_date__lte"})
    if filters.get("status"):
        qs = qs.filter(plan_status_q(filters["status"], timezone.localdate()))
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


CONTRACT_SEARCH = ("contract__number", "contract__title", "contract__customer__name")


def payment_list(*, actor, filters: dict):
    """`q` matches the contract's number, title or customer."""
    qs = exact_filters(_payments(actor), filters, ("contract_id", "plan_id", "method"))
    qs = range_filters(
        qs, filters, {"received_from": "received_at__gte", "received_to": "received_at__lte"}
    )
    qs = text_search(qs, filters.get("q"), CONTRACT_SEARCH)
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
