"""Customer and contact services: ownership, primary contact, visibility through deals."""

import pytest

from gendan.core.errors import Conflict, NotFound, ValidationFailed
from gendan.customers import selectors, services
from gendan.customers.models import Contact, Customer
from tests.factories import ContactFactory, CustomerFactory, DealFactory


def test_customer_without_owner_is_owned_by_its_creator(org):
    customer = services.customer_create(actor=org.peer, data={"name": "Acme"})
    assert customer.owner_id == org.peer.pk


def test_first_contact_is_primary_and_a_new_primary_replaces_it(org):
    customer = CustomerFactory(owner=org.owner)
    first = services.contact_create(actor=org.owner, data={"customer_id": customer.pk, "name": "A"})
    second = services.contact_create(
        actor=org.owner, data={"customer_id": customer.pk, "name": "B"}
    )
    assert first.is_primary and not second.is_primary
    third = services.contact_create(
        actor=org.owner, data={"customer_id": customer.pk, "name": "C", "is_primary": True}
    )
    primaries = list(Contact.objects.filter(customer=customer, is_primary=True))
    assert primaries == [third]
    services.contact_update(actor=org.owner, contact_id=second.pk, data={"is_primary": True})
    assert list(Contact.objects.filter(is_primary=True).values_list("pk", flat=True)) == [second.pk]


def test_contact_needs_a_visible_customer(org):
    hidden = CustomerFactory(owner=org.outsider)
    with pytest.raises(ValidationFailed) as exc:
        services.contact_create(actor=org.owner, data={"customer_id": hidden.pk, "name": "x"})
    assert "customer_id" in exc.value.errors
    mine = ContactFactory(customer__owner=org.owner)
    with pytest.raises(ValidationFailed):
        services.contact_update(
            actor=org.owner, contact_id=mine.pk, data={"customer_id": hidden.pk}
        )


def test_contacts_are_visible_with_their_customer(org):
    contact = ContactFactory(customer__owner=org.owner)
    assert selectors.contact_get(actor=org.manager, contact_id=contact.pk) == contact
    with pytest.raises(NotFound):
        selectors.contact_get(actor=org.outsider, contact_id=contact.pk)


def test_deal_owner_sees_the_customer_of_their_deal(org):
    customer = CustomerFactory(owner=org.outsider)
    DealFactory(owner=org.owner, customer=customer)
    assert selectors.customer_get(actor=org.owner, customer_id=customer.pk) == customer
    assert customer in Customer.objects.visible_to(org.manager)


def test_customer_with_deals_cannot_be_deleted(org):
    deal = DealFactory(owner=org.owner)
    with pytest.raises(Conflict):
        services.customer_delete(actor=org.owner, customer_id=deal.customer_id)
    lonely = CustomerFactory(owner=org.owner)
    services.customer_delete(actor=org.owner, customer_id=lonely.pk)
    assert not Customer.objects.filter(pk=lonely.pk).exists()
