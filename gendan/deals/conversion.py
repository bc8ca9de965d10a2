"""Converting a lead (线索转化): the lead becomes a customer (new or existing), a contact and,
if asked, a deal, each linked back to the lead. It lives with deals, the lowest layer that
knows leads, customers and deals alike."""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.timeline import event_record
from gendan.core.errors import Conflict, ValidationFailed
from gendan.core.versioning import lock_for_update
from gendan.customers import services as customer_services
from gendan.customers.models import Contact, Customer
from gendan.deals import services as deal_services
from gendan.deals.models import Deal
from gendan.fields import mapping
from gendan.fields.choices import RecordType
from gendan.history import writes as history
from gendan.leads.choices import LeadStatus
from gendan.leads.models import Lead


@transaction.atomic
def lead_convert(
    *,
    actor,
    lead_id: int,
    customer_id: int | None = None,
    customer: dict | None = None,
    contact: dict | None = None,
    create_contact: bool = True,
    deal: dict | None = None,
) -> dict:
    """Lead → customer (new or existing) + contact + optional deal, linked both ways. The
    conversion mapping (fields.mapping) carries lead values into the new records' custom
    fields; a value given here for the same field wins, and an existing customer only gets
    the fields it has no value in. A refusal says which part it is about (`part`)."""
    lead = _convertible_lead(actor, lead_id)
    if customer_id is not None and customer:
        raise ValidationFailed(errors={"customer": _("Give customer_id or customer, not both.")})
    carry = mapping.carried(lead, actor=actor)
    with _part("customer"):
        target = _target_customer(actor, lead, customer_id, customer, carry[RecordType.CUSTOMER])
    new_contact = new_deal = None
    if create_contact:
        with _part("contact"):
            new_contact = _new_contact(actor, lead, target, contact, carry[RecordType.CONTACT])
    if deal is not None:
        with _part("deal"):
            new_deal = _new_deal(actor, lead, target, new_contact, deal, carry[RecordType.DEAL])
    return _mark_converted(actor, lead, target, new_contact, new_deal)


@contextmanager
def _part(name: str):
    """Say which part a refusal is about (`part`: customer, contact or deal), the fields
    named as the part's service names them."""
    try:
        yield
    except ValidationFailed as exc:
        exc.extra = {**exc.extra, "part": name}
        raise


def _convertible_lead(actor, lead_id: int) -> Lead:
    lead = lock_for_update(Lead.objects.visible_to(actor), lead_id, expected_version=None)
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict(
            _("This lead is already converted."), extra={"customer_id": lead.customer_id}
        )
    if lead.status == LeadStatus.DISQUALIFIED:
        raise Conflict(_("A disqualified lead cannot be converted; requalify it first."))
    return lead


def _target_customer(
    actor, lead: Lead, customer_id: int | None, values: dict | None, carried: dict
) -> Customer:
    if customer_id is not None:
        existing = Customer.objects.visible_to(actor).filter(pk=customer_id).first()
        if existing is None:
            raise ValidationFailed(errors={"customer_id": _("No such customer.")})
        # An existing customer keeps every value it has: the mapping fills the empty ones.
        empty = {k: v for k, v in carried.items() if k not in (existing.custom or {})}
        if empty:
            customer_services.customer_update(
                actor=actor, customer_id=existing.pk, data={"custom": empty}
            )
        return Customer.objects.get(pk=customer_id)
    data = {
        "name": lead.company or lead.name,
        "owner_id": lead.owner_id,
        **(values or {}),
        "custom_carried": carried,
    }
    return customer_services.customer_create(actor=actor, data=data)


def _new_contact(
    actor, lead: Lead, target: Customer, values: dict | None, carried: dict
) -> Contact:
    data = {
        "name": lead.name,
        "title": lead.title,
        "phone": lead.phone,
        "email": lead.email,
        "wechat": lead.wechat,
        **(values or {}),
        "customer_id": target.pk,
        "custom_carried": carried,
    }
    return customer_services.contact_create(actor=actor, data=data)


def _new_deal(
    actor, lead: Lead, target: Customer, contact: Contact | None, values: dict, carried: dict
) -> Deal:
    data = {
        "name": lead.company or lead.name,
        "owner_id": lead.owner_id,
        **values,
        "customer_id": target.pk,
        "lead_id": lead.pk,
        "custom_carried": carried,
    }
    if contact is not None:
        data.setdefault("contact_id", contact.pk)
    return deal_services.deal_create(actor=actor, data=data)


def _mark_converted(actor, lead: Lead, target: Customer, contact, deal) -> dict:
    now = timezone.now()
    old_status = lead.status
    changes = {
        "status": (old_status, LeadStatus.CONVERTED),
        "converted_at": (lead.converted_at, now),
        "customer_id": (lead.customer_id, target.pk),
        "contact_id": (lead.contact_id, contact.pk if contact else None),
        "deal_id": (lead.deal_id, deal.pk if deal else None),
    }
    lead.status = LeadStatus.CONVERTED
    lead.converted_at = now
    lead.customer, lead.contact, lead.deal = target, contact, deal
    lead.version += 1
    lead.save(
        update_fields=["status", "converted_at", "customer", "contact", "deal", "version"]
        + ["updated_at"]
    )
    history.changes_record(lead, changes, actor=actor, at=now)
    links = {
        "lead_id": lead.pk,
        "customer_id": target.pk,
        "contact_id": contact.pk if contact else None,
        "deal_id": deal.pk if deal else None,
    }
    event_record(
        lead,
        EventKind.STATUS_CHANGED,
        actor=actor,
        at=now,
        data={"field": "status", "from": old_status, "to": LeadStatus.CONVERTED},
    )
    for record in (lead, target, deal):
        if record is not None:
            event_record(record, EventKind.CONVERTED, actor=actor, at=now, data=links)
    return links
