from collections.abc import Callable

from django.db.models import QuerySet

from gendan.core.errors import NotFound
from gendan.customers.models import Contact, Customer
from gendan.customers.schemas import ContactFilter, CustomerFilter
from gendan.fields.choices import RecordType
from gendan.fields.filters import custom_list

CUSTOMER_ORDERING = ("created_at", "updated_at", "name", "last_activity_at", "next_follow_up_at")


Figures = Callable[[QuerySet], QuerySet]


def _customers(actor, figures: Figures | None) -> QuerySet:
    """`figures` adds columns that a higher layer computes (the after-sales visit figures of
    `sales.selectors.visits.visit_figures`), as subqueries of the same query."""
    qs = Customer.objects.visible_to(actor).select_related("owner")
    return figures(qs) if figures else qs


def customer_list(*, actor, filters: CustomerFilter | dict, figures: Figures | None = None):
    filters = CustomerFilter.of(filters)
    qs = filters.apply(_customers(actor, figures))
    return custom_list(
        qs,
        RecordType.CUSTOMER,
        filters,
        actor=actor,
        allowed=CUSTOMER_ORDERING,
        default="-created_at",
    )


def customer_get(*, actor, customer_id: int, figures: Figures | None = None) -> Customer:
    customer = _customers(actor, figures).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound()
    return customer


def contact_list(*, actor, filters: ContactFilter | dict):
    filters = ContactFilter.of(filters)
    qs = filters.apply(Contact.objects.visible_to(actor).select_related("customer"))
    qs = qs.order_by("customer_id", "-is_primary", "id")
    return custom_list(qs, RecordType.CONTACT, filters, actor=actor)


def contact_choices(*, actor, customer_id: int):
    """A customer's contacts the actor may see, by name: the choices of a deal's contact."""
    return Contact.objects.visible_to(actor).filter(customer_id=customer_id).order_by("name")


def contact_get(*, actor, contact_id: int) -> Contact:
    contact = (
        Contact.objects.visible_to(actor).select_related("customer").filter(pk=contact_id).first()
    )
    if contact is None:
        raise NotFound()
    return contact
