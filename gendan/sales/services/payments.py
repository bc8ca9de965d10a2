"""Writes for payment plans (回款计划) and payments (回款).

Rules: the installments of a contract add up to at most its amount; a payment is at most what
is outstanding on the contract. A payment goes to its installment first (up to what that one
still lacks), then to the oldest open installments by sequence; money beyond every installment
stays unallocated on the contract and is applied as soon as an installment needs it. Every
write locks the contract row first, so concurrent writes are applied one after another.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind, NotificationKind
from gendan.activities.notifications import notify
from gendan.activities.timeline import event_record
from gendan.core.errors import Conflict, PermissionDenied, ValidationFailed
from gendan.core.events import emit
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.history import writes as history
from gendan.org.permissions import can
from gendan.sales.choices import ContractStatus, PaymentMethod
from gendan.sales.models import Contract, Payment, PaymentAllocation, PaymentPlan
from gendan.sales.selectors import payments as payment_selectors
from gendan.sales.selectors.contracts import money
from gendan.sales.services.contracts import contract_lock_ref, planned_total

PAYING = (ContractStatus.ACTIVE, ContractStatus.FULFILLED)


# Allocation ---------------------------------------------------------------------------------


def _allocate(
    payment: Payment, amount: Decimal, *, first: PaymentPlan | None = None, moved: list
) -> Decimal:
    """Spread `amount` of `payment` over the contract's open installments; return the rest.
    Each installment's change of `received_amount` is added to `moved` for its history."""
    plans = list(
        PaymentPlan.objects.filter(contract_id=payment.contract_id).order_by("sequence", "id")
    )
    if first is not None:
        plans.sort(key=lambda plan: plan.pk != first.pk)  # stable: the chosen one, then by age
    now = timezone.now()
    rows, touched = [], []
    for plan in plans:
        if amount <= 0:
            break
        share = min(amount, plan.amount - plan.received_amount)
        if share <= 0:
            continue
        moved.append(
            (plan, {"received_amount": (plan.received_amount, plan.received_amount + share)})
        )
        plan.received_amount += share
        plan.updated_at = now
        amount -= share
        rows.append(PaymentAllocation(payment=payment, plan=plan, amount=share))
        touched.append(plan)
    PaymentAllocation.objects.bulk_create(rows)
    PaymentPlan.objects.bulk_update(touched, ["received_amount", "updated_at"])
    return amount


def _allocate_unallocated(contract: Contract, *, moved: list) -> None:
    """Apply money received beyond the installments to installments that still need it."""
    payments = Payment.objects.filter(contract=contract).prefetch_related("allocations")
    for payment in sorted(payments, key=lambda p: (p.received_at, p.pk)):
        rest = payment.amount - sum((a.amount for a in payment.allocations.all()), Decimal(0))
        if rest > 0:
            _allocate(payment, rest, moved=moved)


# Payment plans ------------------------------------------------------------------------------


def _over_plan(contract: Contract, planned: Decimal, amount: Decimal) -> ValidationFailed:
    available = max(contract.amount - planned, Decimal(0))
    figures = {
        "contract_amount": str(money(contract.amount)),
        "planned": str(money(planned)),
        "available": str(money(available)),
    }
    message = _(
        "The installments would add up to %(total)s, more than the contract amount of "
        "%(contract_amount)s; %(planned)s is already planned, so at most %(available)s can be "
        "added."
    ) % {"total": money(planned + amount), **figures}
    return ValidationFailed(
        _("The installments cannot add up to more than the contract amount."),
        errors={"amount": message},
        extra=figures,
    )


def _check_sequence(errors: dict, contract: Contract, sequence, *, plan_id=None) -> None:
    taken = PaymentPlan.objects.filter(contract=contract, sequence=sequence)
    if plan_id is not None:
        taken = taken.exclude(pk=plan_id)
    if taken.exists():
        errors["sequence"] = _("The contract already has an installment with this number.")


def _not_terminated(contract: Contract) -> None:
    if contract.status == ContractStatus.TERMINATED:
        raise Conflict(_("The installments of a terminated contract can no longer change."))


@transaction.atomic
def plan_create(*, actor, data: dict) -> PaymentPlan:
    contract = contract_lock_ref(actor=actor, contract_id=data["contract_id"])
    _not_terminated(contract)
    planned = planned_total(contract)
    if planned + data["amount"] > contract.amount:
        raise _over_plan(contract, planned, data["amount"])
    sequence = data.get("sequence")
    if sequence is None:
        sequence = (contract.plans.aggregate(m=Max("sequence"))["m"] or 0) + 1
    errors: dict = {}
    _check_sequence(errors, contract, sequence)
    if errors:
        raise ValidationFailed(errors=errors)
    plan = PaymentPlan.objects.create(
        contract=contract,
        sequence=sequence,
        due_date=data["due_date"],
        amount=data["amount"],
        notes=data.get("notes") or "",
    )
    event_record(
        contract,
        EventKind.PAYMENT_PLANNED,
        actor=actor,
        data={
            "plan_id": plan.pk,
            "sequence": plan.sequence,
            "amount": money(plan.amount),
            "currency": contract.currency,
            "due_date": plan.due_date,
        },
    )
    moved: list = []
    _allocate_unallocated(contract, moved=moved)
    history.many_record(moved, actor=actor)
    plan.refresh_from_db()
    emit(plan, "created")
    return plan


def _plan_lock(*, actor, plan_id: int, version: int | None) -> tuple[Contract, PaymentPlan]:
    plan = payment_selectors.plan_get(actor=actor, plan_id=plan_id)
    contract = lock_for_update(Contract.objects.all(), plan.contract_id, expected_version=None)
    plan = lock_for_update(PaymentPlan.objects.all(), plan_id, expected_version=version)
    return contract, plan


@transaction.atomic
def plan_update(*, actor, plan_id: int, data: dict, version: int | None = None) -> PaymentPlan:
    contract, plan = _plan_lock(actor=actor, plan_id=plan_id, version=version)
    _not_terminated(contract)
    errors: dict = {}
    amount = data.get("amount")
    if amount is not None:
        if amount < plan.received_amount:
            received = str(money(plan.received_amount))
            raise ValidationFailed(
                errors={
                    "amount": _(
                        "The installment has already received %(received)s; its amount cannot "
                        "be less."
                    )
                    % {"received": received}
                },
                extra={"received": received},
            )
        others = planned_total(contract, exclude_plan_id=plan.pk)
        if others + amount > contract.amount:
            raise _over_plan(contract, others, amount)
    if data.get("sequence") is not None:
        _check_sequence(errors, contract, data["sequence"], plan_id=plan.pk)
    if errors:
        raise ValidationFailed(errors=errors)
    changes = apply_changes(plan, data)
    save_changes(plan, changes)
    moved: list = [(plan, changes)]
    if "amount" in changes or "sequence" in changes:
        _allocate_unallocated(contract, moved=moved)
        plan.refresh_from_db()
    history.many_record(moved, actor=actor)
    emit(plan, "updated", changed=list(changes))
    return plan


@transaction.atomic
def plan_delete(*, actor, plan_id: int) -> None:
    """Only an installment that has received nothing."""
    _contract, plan = _plan_lock(actor=actor, plan_id=plan_id, version=None)
    if plan.received_amount > 0 or plan.allocations.exists():
        raise Conflict(_("An installment that has received money cannot be deleted."))
    plan.delete()


# Payments -----------------------------------------------------------------------------------


def _payment_checks(contract, data: dict, *, today):
    """The installment the payment is for (or None); 422 for a bad date or installment, 409
    for a contract that takes no payments."""
    errors: dict = {}
    if (data.get("received_at") or today) > today:
        errors["received_at"] = _("The payment date cannot be in the future.")
    plan = None
    if data.get("plan_id") is not None:
        plan = PaymentPlan.objects.filter(pk=data["plan_id"], contract=contract).first()
        if plan is None:
            errors["plan_id"] = _("This installment is not part of the contract.")
    if errors:
        raise ValidationFailed(errors=errors)
    if contract.status not in PAYING:
        raise Conflict(_("Payments can be recorded only on an active or fulfilled contract."))
    return plan


def _check_outstanding(contract, amount) -> None:
    """422 with the figures when `amount` is more than what is still outstanding."""
    outstanding = contract.amount - contract.received_amount
    if amount <= outstanding:
        return
    figures = {
        "amount": str(money(amount)),
        "outstanding": str(money(outstanding)),
        "contract_amount": str(money(contract.amount)),
        "received": str(money(contract.received_amount)),
    }
    raise ValidationFailed(
        _("The payment is more than what is outstanding on the contract."),
        errors={
            "amount": _(
                "%(amount)s is more than the %(outstanding)s still outstanding on this "
                "contract (%(contract_amount)s, of which %(received)s received)."
            )
            % figures
        },
        extra=figures,
    )


def _payment_recorded(actor, contract, payment: Payment) -> None:
    """The contract's timeline, and its owner and PM told."""
    details = {
        "payment_id": payment.pk,
        "amount": money(payment.amount),
        "currency": contract.currency,
        "received_at": payment.received_at,
        "method": payment.method,
    }
    event_record(contract, EventKind.PAYMENT_RECORDED, actor=actor, data=details)
    notify(
        recipients=[contract.owner, contract.pm],
        kind=NotificationKind.PAYMENT_RECORDED,
        actor=actor,
        message=_("%(amount)s %(currency)s received on contract %(number)s.")
        % {
            "amount": money(payment.amount),
            "currency": contract.currency,
            "number": contract.number,
        },
        target=contract,
        data={key: str(value) for key, value in details.items()},
    )


@transaction.atomic
def payment_record(*, actor, data: dict) -> Payment:
    """Money received on an active or fulfilled contract, at most what is outstanding."""
    contract = contract_lock_ref(actor=actor, contract_id=data["contract_id"])
    today = timezone.localdate()
    plan = _payment_checks(contract, data, today=today)
    amount = data["amount"]
    _check_outstanding(contract, amount)
    payment = Payment.objects.create(
        contract=contract,
        plan=plan,
        amount=amount,
        received_at=data.get("received_at") or today,
        method=data.get("method") or PaymentMethod.BANK_TRANSFER,
        reference=data.get("reference") or "",
        notes=data.get("notes") or "",
        recorded_by=actor,
    )
    moved: list = [
        (
            contract,
            {"received_amount": (contract.received_amount, contract.received_amount + amount)},
        )
    ]
    _allocate(payment, amount, first=plan, moved=moved)
    contract.received_amount += amount
    contract.save(update_fields=["received_amount", "updated_at"])
    history.many_record(moved, actor=actor)
    _payment_recorded(actor, contract, payment)
    return payment


def _payment_admin(actor, payment: Payment, *, allow_recorder: bool) -> None:
    if can(actor, "administer_payments"):
        return
    if allow_recorder and payment.recorded_by_id == actor.pk:
        return
    raise PermissionDenied(
        _("Only an administrator, sales operations or a sales manager can do this.")
    )


@transaction.atomic
def payment_update(*, actor, payment_id: int, data: dict, version: int | None = None) -> Payment:
    """Date, method, reference and notes; by whoever recorded it, or a payment admin."""
    payment = payment_selectors.payment_get(actor=actor, payment_id=payment_id)
    _payment_admin(actor, payment, allow_recorder=True)
    payment = lock_for_update(Payment.objects.all(), payment_id, expected_version=version)
    if data.get("received_at") and data["received_at"] > timezone.localdate():
        raise ValidationFailed(
            errors={"received_at": _("The payment date cannot be in the future.")}
        )
    changes = apply_changes(payment, data)
    save_changes(payment, changes)
    history.changes_record(payment, changes, actor=actor)
    return payment


@transaction.atomic
def payment_delete(*, actor, payment_id: int) -> None:
    """Undo a payment (administrators, sales operations, sales managers): its allocations are
    reversed and money left unallocated by other payments fills the gap."""
    payment = payment_selectors.payment_get(actor=actor, payment_id=payment_id)
    _payment_admin(actor, payment, allow_recorder=False)
    contract = lock_for_update(Contract.objects.all(), payment.contract_id, expected_version=None)
    allocations = list(PaymentAllocation.objects.filter(payment_id=payment.pk))
    plans = {
        plan.pk: plan
        for plan in PaymentPlan.objects.filter(pk__in=[a.plan_id for a in allocations])
    }
    now = timezone.now()
    before_plans = {pk: plan.received_amount for pk, plan in plans.items()}
    for allocation in allocations:
        plan = plans[allocation.plan_id]
        plan.received_amount -= allocation.amount
        plan.updated_at = now
    PaymentPlan.objects.bulk_update(plans.values(), ["received_amount", "updated_at"])
    before = contract.received_amount
    contract.received_amount -= payment.amount
    contract.save(update_fields=["received_amount", "updated_at"])
    Payment.objects.filter(pk=payment.pk).delete()
    moved: list = [(contract, {"received_amount": (before, contract.received_amount)})]
    moved += [
        (plan, {"received_amount": (before_plans[pk], plan.received_amount)})
        for pk, plan in plans.items()
    ]
    _allocate_unallocated(contract, moved=moved)
    history.many_record(moved, actor=actor)
    event_record(
        contract,
        EventKind.UPDATED,
        actor=actor,
        data={
            "fields": {
                "received_amount": {
                    "from": str(money(before)),
                    "to": str(money(contract.received_amount)),
                }
            },
            "payment_deleted": payment.pk,
            "amount": money(payment.amount),
        },
    )
