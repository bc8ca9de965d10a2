from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.api.history import HISTORY_DOC, history
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.history.schemas import FieldChangeOut
from gendan.sales.schemas.payments import (
    PaymentFilter,
    PaymentIn,
    PaymentOut,
    PaymentPatch,
    PlanFilter,
    PlanIn,
    PlanOut,
    PlanPatch,
)
from gendan.sales.selectors import payments as payment_selectors
from gendan.sales.services import payments as payment_services

plans_router = Router(tags=["payment-plans"])
payments_router = Router(tags=["payments"])


@plans_router.get("", response=Page[PlanOut])
def plan_list(
    request: HttpRequest, filters: PlanFilter = Query(...), page: PageParams = Query(...)
):
    """Installments by contract and sequence; `status` (pending, partial, paid, overdue) is
    derived from what was received and the due date."""
    qs = payment_selectors.plan_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@plans_router.post("", response={201: PlanOut})
def plan_create(request: HttpRequest, payload: PlanIn):
    """Add an installment; 422 with `contract_amount`, `planned` and `available` when the
    installments would add up to more than the contract amount."""
    plan = payment_services.plan_create(actor=actor(request), data=payload.model_dump())
    return Status(201, payment_selectors.plan_get(actor=actor(request), plan_id=plan.pk))


@plans_router.get("/{plan_id}", response=PlanOut)
def plan_detail(request: HttpRequest, plan_id: int):
    return payment_selectors.plan_get(actor=actor(request), plan_id=plan_id)


@plans_router.patch("/{plan_id}", response=PlanOut)
def plan_update(request: HttpRequest, plan_id: int, payload: PlanPatch):
    data, version = patch_data(payload)
    payment_services.plan_update(
        actor=actor(request), plan_id=plan_id, data=data, version=expected_version(request, version)
    )
    return payment_selectors.plan_get(actor=actor(request), plan_id=plan_id)


@plans_router.delete("/{plan_id}", response={204: None})
def plan_delete(request: HttpRequest, plan_id: int):
    """Only an installment that has received nothing (409 otherwise)."""
    payment_services.plan_delete(actor=actor(request), plan_id=plan_id)
    return Status(204, None)


@payments_router.get("", response=Page[PaymentOut])
def payment_list(
    request: HttpRequest, filters: PaymentFilter = Query(...), page: PageParams = Query(...)
):
    qs = payment_selectors.payment_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@payments_router.post("", response={201: PaymentOut})
def payment_record(request: HttpRequest, payload: PaymentIn):
    """Record money received; 422 with `amount` and `outstanding` when it is more than what is
    outstanding on the contract, 409 unless the contract is active or fulfilled."""
    payment = payment_services.payment_record(actor=actor(request), data=payload.model_dump())
    return Status(201, payment_selectors.payment_get(actor=actor(request), payment_id=payment.pk))


@payments_router.get("/{payment_id}", response=PaymentOut)
def payment_detail(request: HttpRequest, payment_id: int):
    return payment_selectors.payment_get(actor=actor(request), payment_id=payment_id)


@payments_router.patch("/{payment_id}", response=PaymentOut)
def payment_update(request: HttpRequest, payment_id: int, payload: PaymentPatch):
    """Date, method, reference and notes (by whoever recorded it or a payment admin)."""
    data, version = patch_data(payload)
    payment_services.payment_update(
        actor=actor(request),
        payment_id=payment_id,
        data=data,
        version=expected_version(request, version),
    )
    return payment_selectors.payment_get(actor=actor(request), payment_id=payment_id)


@payments_router.delete("/{payment_id}", response={204: None})
def payment_delete(request: HttpRequest, payment_id: int):
    """Administrators, sales operations and sales managers only; allocations are reversed."""
    payment_services.payment_delete(actor=actor(request), payment_id=payment_id)
    return Status(204, None)


@plans_router.get("/{plan_id}/history", response=Page[FieldChangeOut], description=HISTORY_DOC)
def plan_history(request: HttpRequest, plan_id: int, page: PageParams = Query(...)):
    return history(request, payment_selectors.plan_get(actor=actor(request), plan_id=plan_id), page)


@payments_router.get(
    "/{payment_id}/history", response=Page[FieldChangeOut], description=HISTORY_DOC
)
def payment_history(request: HttpRequest, payment_id: int, page: PageParams = Query(...)):
    return history(
        request, payment_selectors.payment_get(actor=actor(request), payment_id=payment_id), page
    )
