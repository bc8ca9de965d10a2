"""Writes for contracts (合同): create (also from a won deal), edit, activate, accept,
terminate. Payment plans and payments live in `payments.py`, milestones in `delivery.py`."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.timeline import changes_record, event_record
from gendan.core.errors import Conflict, NotFound, ValidationFailed
from gendan.core.events import emit
from gendan.core.numbering import next_number
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.customers.choices import CustomerStatus
from gendan.customers.models import Customer
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal
from gendan.fields import values as custom_values
from gendan.fields.choices import RecordType
from gendan.history import writes as history
from gendan.org.models import User
from gendan.org.scoping import check_assignable
from gendan.sales.choices import ContractStatus
from gendan.sales.models import Contract
from gendan.sales.selectors.contracts import money

EDITABLE = (ContractStatus.DRAFT, ContractStatus.ACTIVE)
CONTRACT_TRACKED = (
    "title",
    "deal_id",
    "currency",
    "signed_at",
    "start_date",
    "end_date",
    "pm_id",
    "terms",
)


def contract_lock(*, actor, contract_id: int, version: int | None = None) -> Contract:
    """The contract under a write lock (404 outside the actor's scope, 409 on a stale version).

    Every write that touches a contract's money or delivery locks the contract row first, so
    concurrent payments and plan changes are applied one after another.
    """
    return lock_for_update(
        Contract.objects.visible_to(actor), contract_id, expected_version=version
    )


def contract_lock_ref(*, actor, contract_id: int) -> Contract:
    """Like `contract_lock`, for a `contract_id` sent in a body: 422 instead of 404."""
    try:
        return lock_for_update(
            Contract.objects.visible_to(actor), contract_id, expected_version=None
        )
    except NotFound:
        raise ValidationFailed(errors={"contract_id": _("No such contract.")}) from None


def planned_total(contract: Contract, *, exclude_plan_id: int | None = None) -> Decimal:
    plans = contract.plans.all()
    if exclude_plan_id is not None:
        plans = plans.exclude(pk=exclude_plan_id)
    return money(plans.aggregate(total=Sum("amount"))["total"])


def _collect(errors: dict, check, *args, **kwargs) -> None:
    try:
        check(*args, **kwargs)
    except ValidationFailed as exc:
        errors.update(exc.errors)


def _check_pm(errors: dict, pm_id: int | None) -> None:
    if pm_id is not None and not User.objects.filter(pk=pm_id, is_active=True).exists():
        errors["pm_id"] = _("No such active user.")


def _check_deal(errors: dict, actor, deal_id: int | None, customer_id: int) -> None:
    if deal_id is None:
        return
    if not Deal.objects.visible_to(actor).filter(pk=deal_id, customer_id=customer_id).exists():
        errors["deal_id"] = _("No such deal for this customer.")


def _check_dates(errors: dict, start, end) -> None:
    if start and end and end < start:
        errors["end_date"] = _("The end date cannot be before the start date.")


def _create(*, actor, data: dict) -> Contract:
    contract = Contract.objects.create(number=next_number("C"), status=ContractStatus.DRAFT, **data)
    event_record(
        contract,
        EventKind.CONTRACT_CREATED,
        actor=actor,
        data={
            "number": contract.number,
            "title": contract.title,
            "amount": money(contract.amount),
            "currency": contract.currency,
            "deal_id": contract.deal_id,
        },
    )
    emit(contract, "created")
    return contract


@transaction.atomic
def contract_create(*, actor, data: dict) -> Contract:
    """A draft contract for a customer the actor may see (optionally of one of its deals)."""
    data = dict(data)
    data["owner_id"] = data.get("owner_id") or actor.pk
    errors: dict = {}
    _collect(errors, check_assignable, actor, data["owner_id"])
    if not Customer.objects.visible_to(actor).filter(pk=data["customer_id"]).exists():
        errors["customer_id"] = _("No such customer.")
    else:
        _check_deal(errors, actor, data.get("deal_id"), data["customer_id"])
    _check_pm(errors, data.get("pm_id"))
    _check_dates(errors, data.get("start_date"), data.get("end_date"))
    if errors:
        raise ValidationFailed(errors=errors)
    custom_values.on_create(RecordType.CONTRACT, data, actor=actor)
    return _create(actor=actor, data=data)


@transaction.atomic
def contract_create_from_deal(*, actor, deal_id: int, data: dict | None = None) -> Contract:
    """A draft contract from a won deal: its customer, owner, amount, currency and name.

    409 if the deal is not won, or already has a contract that was not terminated (a second
    contract for the same deal goes through `contract_create` with `deal_id`).
    """
    data = dict(data or {})
    # The deal's row lock serialises two clicks on "create contract".
    deal = lock_for_update(Deal.objects.visible_to(actor), deal_id, expected_version=None)
    if deal.status != DealStatus.WON:
        raise Conflict(
            _("Only a won deal can be turned into a contract."), extra={"deal_status": deal.status}
        )
    existing = deal.contracts.exclude(status=ContractStatus.TERMINATED).order_by("id").first()
    if existing is not None:
        raise Conflict(
            _("This deal already has the contract %(number)s.") % {"number": existing.number},
            extra={"contract_id": existing.pk},
        )
    errors: dict = {}
    _check_pm(errors, data.get("pm_id"))
    _check_dates(errors, data.get("start_date"), data.get("end_date"))
    if errors:
        raise ValidationFailed(errors=errors)
    data.update(
        customer_id=deal.customer_id,
        deal_id=deal.pk,
        owner_id=deal.owner_id,
        amount=deal.amount or Decimal("0"),
        currency=deal.currency,
        title=data.get("title") or deal.name,
    )
    custom_values.on_create(RecordType.CONTRACT, data, actor=actor)
    return _create(actor=actor, data=data)


@transaction.atomic
def contract_update(*, actor, contract_id: int, data: dict, version: int | None = None) -> Contract:
    contract = contract_lock(actor=actor, contract_id=contract_id, version=version)
    if contract.status not in EDITABLE:
        raise Conflict(_("A fulfilled or terminated contract can no longer be changed."))
    data = dict(data)
    custom_values.on_update(RecordType.CONTRACT, contract, data, actor=actor)
    errors: dict = {}
    extra: dict = {}
    if "owner_id" in data:
        if data["owner_id"] is None:
            errors["owner_id"] = _("A contract must have an owner.")
        else:
            _collect(errors, check_assignable, actor, data["owner_id"])
    if "pm_id" in data:
        _check_pm(errors, data["pm_id"])
    if "deal_id" in data:
        _check_deal(errors, actor, data["deal_id"], contract.customer_id)
    if data.get("amount") is not None:
        planned = planned_total(contract)
        floor = max(planned, contract.received_amount)
        if data["amount"] < floor:
            errors["amount"] = _(
                "The amount cannot be less than %(floor)s: %(planned)s is planned in "
                "installments and %(received)s has been received."
            ) % {
                "floor": money(floor),
                "planned": planned,
                "received": money(contract.received_amount),
            }
            extra = {"planned": str(planned), "received": str(money(contract.received_amount))}
    if data.get("currency") not in (None, contract.currency) and contract.received_amount > 0:
        errors["currency"] = _("The currency cannot change once payments have been received.")
    _check_dates(
        errors,
        data.get("start_date", contract.start_date),
        data.get("end_date", contract.end_date),
    )
    if errors:
        raise ValidationFailed(errors=errors, extra=extra)
    changes = apply_changes(contract, data)
    save_changes(contract, changes)
    changes_record(contract, changes, actor=actor, tracked=CONTRACT_TRACKED)
    emit(contract, "updated", changed=list(changes))
    return contract


@transaction.atomic
def contract_delete(*, actor, contract_id: int) -> None:
    """Only a draft without payments; its installments and milestones go with it."""
    contract = contract_lock(actor=actor, contract_id=contract_id)
    if contract.status != ContractStatus.DRAFT or contract.payments.exists():
        raise Conflict(
            _("Only a draft contract without payments can be deleted; terminate it instead.")
        )
    contract.delete()


def _set_status(contract: Contract, status: str, *, actor, **fields) -> None:
    changes = {
        name: (getattr(contract, name), value)
        for name, value in {"status": status, **fields}.items()
    }
    contract.status = status
    for name, value in fields.items():
        setattr(contract, name, value)
    history.changes_record(contract, changes, actor=actor)
    contract.version += 1
    contract.save(update_fields=["status", *fields, "version", "updated_at"])


def _customer_becomes_active(*, actor, contract: Contract) -> None:
    """The customer's first active contract turns a prospect into an active customer."""
    customer = lock_for_update(Customer.objects.all(), contract.customer_id, expected_version=None)
    if customer.status != CustomerStatus.PROSPECT:
        return
    others = Contract.objects.filter(
        customer_id=customer.pk,
        status__in=(ContractStatus.ACTIVE, ContractStatus.FULFILLED),
    ).exclude(pk=contract.pk)
    if others.exists():
        return
    changes = apply_changes(customer, {"status": CustomerStatus.ACTIVE})
    save_changes(customer, changes)
    changes_record(customer, changes, actor=actor)


@transaction.atomic
def contract_activate(
    *, actor, contract_id: int, signed_at=None, version: int | None = None
) -> Contract:
    """Draft → active (signed). `signed_at` defaults to the one on file, else today."""
    contract = contract_lock(actor=actor, contract_id=contract_id, version=version)
    if contract.status != ContractStatus.DRAFT:
        raise Conflict(_("Only a draft contract can be activated."))
    today = timezone.localdate()
    signed = signed_at or contract.signed_at or today
    if signed > today:
        raise ValidationFailed(errors={"signed_at": _("The signing date cannot be in the future.")})
    _set_status(
        contract,
        ContractStatus.ACTIVE,
        actor=actor,
        signed_at=signed,
        activated_at=timezone.now(),
    )
    event_record(
        contract,
        EventKind.CONTRACT_ACTIVATED,
        actor=actor,
        data={"signed_at": signed, "amount": money(contract.amount), "currency": contract.currency},
    )
    _customer_becomes_active(actor=actor, contract=contract)
    return contract


def contract_fulfil(*, actor, contract: Contract, via: str) -> None:
    """Active → fulfilled, by explicit acceptance or when the last milestone is done."""
    now = timezone.now()
    fields = {"fulfilled_at": now}
    if via == "acceptance":
        fields["accepted_at"] = now
    _set_status(contract, ContractStatus.FULFILLED, actor=actor, **fields)
    event_record(contract, EventKind.CONTRACT_FULFILLED, actor=actor, at=now, data={"via": via})


@transaction.atomic
def contract_accept(*, actor, contract_id: int, version: int | None = None) -> Contract:
    """The customer's acceptance (验收): the contract is fulfilled."""
    contract = contract_lock(actor=actor, contract_id=contract_id, version=version)
    if contract.status != ContractStatus.ACTIVE:
        raise Conflict(_("Only an active contract can be accepted."))
    contract_fulfil(actor=actor, contract=contract, via="acceptance")
    return contract


@transaction.atomic
def contract_terminate(
    *, actor, contract_id: int, reason: str, version: int | None = None
) -> Contract:
    contract = contract_lock(actor=actor, contract_id=contract_id, version=version)
    if contract.status not in EDITABLE:
        raise Conflict(_("Only a draft or active contract can be terminated."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": _("Say why the contract is terminated.")})
    previous = contract.status
    _set_status(
        contract,
        ContractStatus.TERMINATED,
        actor=actor,
        terminated_at=timezone.now(),
        termination_reason=reason,
    )
    event_record(
        contract,
        EventKind.CONTRACT_TERMINATED,
        actor=actor,
        data={"reason": reason, "from": previous},
    )
    return contract
