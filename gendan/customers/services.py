"""Writes for customers and their contacts."""

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.notifications import notify_assigned
from gendan.activities.timeline import changes_record, event_record
from gendan.core.contact import check_contact
from gendan.core.errors import Conflict, NotFound, ValidationFailed
from gendan.core.events import emit
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.customers.duplicates import CONTACT, CUSTOMER, contact_keys, customer_keys, key_columns
from gendan.customers.models import Contact, Customer
from gendan.fields import values as custom_values
from gendan.fields.choices import RecordType
from gendan.history import writes as history
from gendan.org import duplicates
from gendan.org.choices import DuplicateRecord
from gendan.org.scoping import check_assignable

CUSTOMER_TRACKED = ("name", "industry", "size", "region", "address", "website")
CONTACT_TRACKED = ("name", "title", "phone", "email", "wechat", "is_primary")


@transaction.atomic
def customer_create(*, actor, data: dict, duplicates_mode: str = duplicates.BLOCKING) -> Customer:
    """A new customer; its name is checked for duplicates as `lead_create` says."""
    data = dict(data)
    data["owner_id"] = data.get("owner_id") or actor.pk
    check_assignable(actor, data["owner_id"])
    check_contact(data)
    custom_values.on_create(RecordType.CUSTOMER, data, actor=actor)
    keys = customer_keys(data)
    found = duplicates.check(actor=actor, source=CUSTOMER, keys=keys, mode=duplicates_mode)
    customer = Customer.objects.create(**data, **key_columns(DuplicateRecord.CUSTOMER, keys))
    customer.duplicates = found
    event_record(customer, EventKind.CREATED, actor=actor)
    notify_assigned(customer, actor=actor)
    emit(customer, "created")
    return customer


def customer_visible(*, actor, customer_id: int) -> Customer:
    customer = Customer.objects.visible_to(actor).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound()
    return customer


@transaction.atomic
def customer_update(
    *,
    actor,
    customer_id: int,
    data: dict,
    version: int | None = None,
    duplicates_mode: str = duplicates.BLOCKING,
) -> Customer:
    customer = lock_for_update(
        Customer.objects.visible_to(actor), customer_id, expected_version=version
    )
    data = dict(data)
    check_contact(data)
    custom_values.on_update(RecordType.CUSTOMER, customer, data, actor=actor)
    if "owner_id" in data:
        if data["owner_id"] is None:
            raise ValidationFailed(errors={"owner_id": _("A customer must have an owner.")})
        check_assignable(actor, data["owner_id"])
    before = customer_keys(customer)
    changes = apply_changes(customer, data)
    keys = customer_keys(customer)
    key_changes = duplicates.keys_changed(
        actor=actor,
        record=customer,
        source=CUSTOMER,
        keys=keys,
        before=before,
        mode=duplicates_mode,
    )
    save_changes(customer, {**changes, **key_changes})
    changes_record(customer, changes, actor=actor, tracked=CUSTOMER_TRACKED)
    emit(customer, "updated", changed=list(changes))
    if "owner_id" in changes:
        notify_assigned(customer, actor=actor)
    return customer


@transaction.atomic
def customer_delete(*, actor, customer_id: int) -> None:
    customer = customer_visible(actor=actor, customer_id=customer_id)
    if customer.deals.exists() or customer.contracts.exists():
        raise Conflict(_("A customer with deals cannot be deleted; mark it churned instead."))
    customer.delete()


def customer_touch(customer_id: int, *, occurred_at, next_follow_up_at, actor=None) -> None:
    """After a follow-up on the customer or one of its deals (its next follow-up is history;
    the moment of the last activity is the follow-up's own)."""
    customer = Customer.objects.only("last_activity_at", "next_follow_up_at").get(pk=customer_id)
    fields = {}
    if customer.last_activity_at is None or occurred_at > customer.last_activity_at:
        fields["last_activity_at"] = occurred_at
    if next_follow_up_at is not None:
        fields["next_follow_up_at"] = next_follow_up_at
    if fields:
        Customer.objects.filter(pk=customer_id).update(**fields)
        if "next_follow_up_at" in fields:
            change = (customer.next_follow_up_at, fields["next_follow_up_at"])
            history.changes_record(customer, {"next_follow_up_at": change}, actor=actor)


def _unset_other_primaries(contact: Contact, *, actor) -> None:
    """Before `contact` is saved as the primary one: the customer's other primary is no more
    (one per customer, a constraint), and its history says so."""
    others = Contact.objects.filter(customer_id=contact.customer_id, is_primary=True)
    if contact.pk is not None:
        others = others.exclude(pk=contact.pk)
    previous = list(others.only("pk"))
    if previous:
        others.update(is_primary=False)
        history.many_record([(c, {"is_primary": (True, False)}) for c in previous], actor=actor)


@transaction.atomic
def contact_create(*, actor, data: dict, duplicates_mode: str = duplicates.BLOCKING) -> Contact:
    """A new contact; its phone and e-mail are checked for duplicates as `lead_create` says."""
    data = dict(data)
    check_contact(data)
    customer = Customer.objects.visible_to(actor).filter(pk=data["customer_id"]).first()
    if customer is None:
        raise ValidationFailed(errors={"customer_id": _("No such customer.")})
    custom_values.on_create(RecordType.CONTACT, data, actor=actor)
    if not Contact.objects.filter(customer=customer).exists():
        data["is_primary"] = True  # the first contact of a customer is its primary one
    keys = contact_keys(data)
    found = duplicates.check(actor=actor, source=CONTACT, keys=keys, mode=duplicates_mode)
    contact = Contact(**data, **key_columns(DuplicateRecord.CONTACT, keys))
    contact.duplicates = found
    if contact.is_primary:
        _unset_other_primaries(contact, actor=actor)
    contact.save()
    event_record(
        customer,
        EventKind.CONTACT_ADDED,
        actor=actor,
        data={"contact_id": contact.pk, "name": contact.name},
    )
    return contact


def contact_visible(*, actor, contact_id: int) -> Contact:
    contact = Contact.objects.visible_to(actor).filter(pk=contact_id).first()
    if contact is None:
        raise NotFound()
    return contact


@transaction.atomic
def contact_update(
    *,
    actor,
    contact_id: int,
    data: dict,
    version: int | None = None,
    duplicates_mode: str = duplicates.BLOCKING,
) -> Contact:
    contact = lock_for_update(
        Contact.objects.visible_to(actor), contact_id, expected_version=version
    )
    data = dict(data)
    check_contact(data)
    custom_values.on_update(RecordType.CONTACT, contact, data, actor=actor)
    moving = "customer_id" in data and data["customer_id"] != contact.customer_id
    if moving and not Customer.objects.visible_to(actor).filter(pk=data["customer_id"]).exists():
        raise ValidationFailed(errors={"customer_id": _("No such customer.")})
    before = contact_keys(contact)
    changes = apply_changes(contact, data)
    keys = contact_keys(contact)
    key_changes = duplicates.keys_changed(
        actor=actor, record=contact, source=CONTACT, keys=keys, before=before, mode=duplicates_mode
    )
    if contact.is_primary and ("is_primary" in changes or "customer_id" in changes):
        _unset_other_primaries(contact, actor=actor)
    save_changes(contact, {**changes, **key_changes})
    history.changes_record(contact, changes, actor=actor)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact_id: int) -> None:
    contact_visible(actor=actor, contact_id=contact_id).delete()
