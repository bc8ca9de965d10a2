"""Writes for delivery milestones (履约/交付). Completing the last open milestone of an active
contract fulfils it."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.timeline import event_record
from gendan.core.errors import Conflict, ValidationFailed
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.org.models import User
from gendan.org.scoping import check_assignable
from gendan.sales.choices import ContractStatus
from gendan.sales.models import Contract, Milestone
from gendan.sales.selectors import delivery as delivery_selectors
from gendan.sales.services.contracts import EDITABLE, contract_fulfil, contract_lock_ref


def _open_for_delivery(contract: Contract) -> None:
    if contract.status not in EDITABLE:
        raise Conflict(
            _("The delivery of a fulfilled or terminated contract can no longer change.")
        )


def _check_owner(actor, contract: Contract, owner_id: int | None) -> None:
    """The contract's PM or owner, or anyone the actor may assign work to."""
    if owner_id is None:
        raise ValidationFailed(errors={"owner_id": _("A milestone must have an owner.")})
    if owner_id in (contract.pm_id, contract.owner_id):
        if not User.objects.filter(pk=owner_id, is_active=True).exists():
            raise ValidationFailed(errors={"owner_id": _("No such active user.")})
        return
    check_assignable(actor, owner_id)


@transaction.atomic
def milestone_create(*, actor, data: dict) -> Milestone:
    contract = contract_lock_ref(actor=actor, contract_id=data["contract_id"])
    _open_for_delivery(contract)
    owner_id = data.get("owner_id") or contract.pm_id or actor.pk
    _check_owner(actor, contract, owner_id)
    position = data.get("position")
    if position is None:
        position = (contract.milestones.aggregate(m=Max("position"))["m"] or 0) + 1
    milestone = Milestone.objects.create(
        contract=contract,
        name=data["name"],
        due_date=data.get("due_date"),
        owner_id=owner_id,
        position=position,
    )
    event_record(
        contract,
        EventKind.MILESTONE_ADDED,
        actor=actor,
        data={"milestone_id": milestone.pk, "name": milestone.name, "due_date": milestone.due_date},
    )
    return milestone


def _milestone_lock(*, actor, milestone_id: int, version: int | None):
    milestone = delivery_selectors.milestone_get(actor=actor, milestone_id=milestone_id)
    contract = lock_for_update(Contract.objects.all(), milestone.contract_id, expected_version=None)
    milestone = lock_for_update(Milestone.objects.all(), milestone_id, expected_version=version)
    _open_for_delivery(contract)
    return contract, milestone


@transaction.atomic
def milestone_update(
    *, actor, milestone_id: int, data: dict, version: int | None = None
) -> Milestone:
    contract, milestone = _milestone_lock(actor=actor, milestone_id=milestone_id, version=version)
    if "owner_id" in data and data["owner_id"] != milestone.owner_id:
        _check_owner(actor, contract, data["owner_id"])
    save_changes(milestone, apply_changes(milestone, data))
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone_id: int) -> None:
    _contract, milestone = _milestone_lock(actor=actor, milestone_id=milestone_id, version=None)
    milestone.delete()


@transaction.atomic
def milestone_complete(
    *, actor, milestone_id: int, done_at=None, version: int | None = None
) -> Milestone:
    """Mark a milestone done; the last one of an active contract fulfils the contract."""
    contract, milestone = _milestone_lock(actor=actor, milestone_id=milestone_id, version=version)
    if milestone.done_at is not None:
        raise Conflict(_("This milestone is already done."))
    now = timezone.now()
    done_at = done_at or now
    if done_at > now:
        raise ValidationFailed(
            errors={"done_at": _("The completion time cannot be in the future.")}
        )
    milestone.done_at = done_at
    milestone.version += 1
    milestone.save(update_fields=["done_at", "version", "updated_at"])
    event_record(
        contract,
        EventKind.MILESTONE_DONE,
        actor=actor,
        data={"milestone_id": milestone.pk, "name": milestone.name},
    )
    if (
        contract.status == ContractStatus.ACTIVE
        and not contract.milestones.filter(done_at__isnull=True).exists()
    ):
        contract_fulfil(actor=actor, contract=contract, via="milestones")
    return milestone
