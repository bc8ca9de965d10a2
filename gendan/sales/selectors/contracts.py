"""Reads of contracts. Planned and overdue amounts are computed in SQL (one correlated
subquery each), so a page of contracts costs the same few queries whatever its size."""

from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gendan.core.errors import NotFound
from gendan.core.money import cents
from gendan.fields.choices import RecordType
from gendan.fields.filters import custom_list
from gendan.org.choices import Scope
from gendan.org.scoping import effective_scope
from gendan.sales.models import MONEY, Contract, PaymentPlan
from gendan.sales.schemas.contracts import ContractFilter

CENT = Decimal("0.01")
CONTRACT_ORDERING = ("created_at", "number", "signed_at")


def money(value) -> Decimal:
    """Two places, rounded half up (SQLite may hand sums back as floats)."""
    return cents(value)


def contract_scoped(queryset: QuerySet, actor, *, field: str = "contract") -> QuerySet:
    """Rows of `queryset` (plans, payments, milestones) whose contract the actor may see."""
    scope = effective_scope(actor)
    if scope is None:
        return queryset.none()
    if scope == Scope.ALL:
        return queryset
    visible = Contract.objects.visible_to(actor).values("pk")
    return queryset.filter(**{f"{field}__in": visible})


def _plan_total(expression, **filters):
    money_field = DecimalField(**MONEY)
    total = (
        PaymentPlan.objects.filter(contract=OuterRef("pk"), **filters)
        .order_by()
        .values("contract")
        .annotate(total=Sum(expression, output_field=money_field))
        .values("total")[:1]
    )
    return Coalesce(
        Subquery(total, output_field=money_field), Value(Decimal("0")), output_field=money_field
    )


def with_amounts(queryset: QuerySet, *, today=None) -> QuerySet:
    """`planned_total` (Σ installments) and `overdue_total` (Σ of what is still due on
    installments whose due date has passed) on each contract."""
    today = today or timezone.localdate()
    return queryset.annotate(
        planned_total=_plan_total(F("amount")),
        overdue_total=_plan_total(F("amount") - F("received_amount"), due_date__lt=today),
    )


def _contract_queryset(actor):
    return with_amounts(
        Contract.objects.visible_to(actor).select_related("customer", "owner", "pm", "deal")
    )


def contract_list(*, actor, filters: ContractFilter | dict):
    filters = ContractFilter.of(filters)
    qs = filters.apply(_contract_queryset(actor))
    return custom_list(
        qs,
        RecordType.CONTRACT,
        filters,
        actor=actor,
        allowed=CONTRACT_ORDERING,
        default="-created_at",
    )


def contract_get(*, actor, contract_id: int) -> Contract:
    contract = _contract_queryset(actor).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound()
    return contract
