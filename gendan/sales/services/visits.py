"""Writes for after-sales visits (回访): logged by the person who made them, changed by them or
by a manager whose scope reaches them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.models import TimelineEvent
from gendan.activities.timeline import event_build
from gendan.core.errors import PermissionDenied, ValidationFailed
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.customers import services as customer_services
from gendan.customers.models import Customer
from gendan.org.choices import Scope
from gendan.org.models import User
from gendan.org.scoping import effective_scope, team_ids
from gendan.sales.models import Contract, Visit
from gendan.sales.selectors import visits as visit_selectors

# A client's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)


def _check_contract(errors: dict, actor, contract_id: int | None, customer_id: int) -> None:
    if contract_id is None:
        return
    visible = Contract.objects.visible_to(actor)
    if not visible.filter(pk=contract_id, customer_id=customer_id).exists():
        errors["contract_id"] = _("No such contract for this customer.")


def _check_times(errors: dict, occurred_at, next_visit_at) -> None:
    if occurred_at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = _("A visit cannot be logged in the future.")
    if next_visit_at is not None and next_visit_at <= occurred_at:
        errors["next_visit_at"] = _("The next visit must come after this one.")


def _event(visit: Visit) -> TimelineEvent:
    """One event, on the contract the visit is about, else on the customer.

    The customer's and the deal's timelines include their contracts' events, so a visit about
    a contract shows on all three without being written (and shown) twice.
    """
    subject = visit.contract if visit.contract_id else visit.customer
    return event_build(
        subject,
        EventKind.VISIT_LOGGED,
        actor=visit.owner,
        at=visit.occurred_at,
        data={"visit_id": visit.pk, "satisfaction": visit.satisfaction, "channel": visit.channel},
    )


@transaction.atomic
def visit_log(*, actor, data: dict) -> Visit:
    data = dict(data)
    errors: dict = {}
    customer = Customer.objects.visible_to(actor).filter(pk=data["customer_id"]).first()
    if customer is None and data.get("contract_id") is not None:
        # The delivery PM makes the satisfaction call through a contract they may see, even
        # when the customer itself is outside their scope.
        contract = (
            Contract.objects.visible_to(actor)
            .filter(pk=data["contract_id"], customer_id=data["customer_id"])
            .select_related("customer")
            .first()
        )
        customer = contract.customer if contract else None
    if customer is None:
        errors["customer_id"] = _("No such customer.")
    else:
        _check_contract(errors, actor, data.get("contract_id"), customer.pk)
    data["occurred_at"] = data.get("occurred_at") or timezone.now()
    _check_times(errors, data["occurred_at"], data.get("next_visit_at"))
    if errors:
        raise ValidationFailed(errors=errors)
    visit = Visit.objects.create(owner=actor, **data)
    _event(visit).save()
    customer_services.customer_touch(
        customer.pk, occurred_at=visit.occurred_at, next_follow_up_at=None, actor=actor
    )
    return visit


def _check_can_change(actor, visit: Visit) -> None:
    if visit.owner_id == actor.pk:
        return
    scope = effective_scope(actor)
    if scope == Scope.ALL:
        return
    if (
        scope == Scope.TEAM
        and User.objects.filter(pk=visit.owner_id, team_id__in=team_ids(actor)).exists()
    ):
        return
    raise PermissionDenied(_("Only whoever logged the visit, or their manager, can change it."))


@transaction.atomic
def visit_update(*, actor, visit_id: int, data: dict, version: int | None = None) -> Visit:
    visit = visit_selectors.visit_get(actor=actor, visit_id=visit_id)
    _check_can_change(actor, visit)
    visit = lock_for_update(Visit.objects.all(), visit_id, expected_version=version)
    errors: dict = {}
    if "contract_id" in data:
        _check_contract(errors, actor, data["contract_id"], visit.customer_id)
    occurred_at = data.get("occurred_at") or visit.occurred_at
    next_visit_at = data.get("next_visit_at", visit.next_visit_at)
    _check_times(errors, occurred_at, next_visit_at)
    if errors:
        raise ValidationFailed(errors=errors)
    save_changes(visit, apply_changes(visit, data))
    return visit


@transaction.atomic
def visit_delete(*, actor, visit_id: int) -> None:
    visit = visit_selectors.visit_get(actor=actor, visit_id=visit_id)
    _check_can_change(actor, visit)
    visit.delete()
