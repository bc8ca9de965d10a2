from collections.abc import Callable

from django.db.models import Q, QuerySet

from gendan.core.errors import NotFound
from gendan.core.selectors import (
    exact_filters,
    ordered,
    prefix_q,
    range_filters,
    text_search,
)
from gendan.customers.models import Contact, Customer

CUSTOMER_ORDERING = ("created_at", "updated_at", "name", "last_activity_at", "next_follow_up_at")


Figures = Callable[[QuerySet], QuerySet]


def _customers(actor, figures: Figures | None) -> QuerySet:
    """`figures` adds columns that a higher layer computes (the after-sales visit figures of
    `sales.selectors.visits.visit_figures`), as subqueries of the same query."""
    qs = Customer.objects.visible_to(actor).select_related("owner")
    return figures(qs) if figures else qs


def contact_phone_q(field: str):
    """For `text_search(phone=...)` on records found through their customer's contacts: rows
    whose `field` names the customer of a contact whose phone starts with the digits."""

    def build(digits: str) -> Q:
        customers = Contact.objects.filter(prefix_q("phone", digits)).values("customer_id")
        return Q(**{f"{field}__in": customers})

    return build


def customer_list(*, actor, filters: dict, figures: Figures | None = None):
    qs = _customers(actor, figures)
    qs = text_search(
        qs, filters.get("q"), ("name", "website", "address"), phone=contact_phone_q("id")
    )
    qs = exact_filters(
        qs, filters, ("status", "owner_id", "industry", "region", "size", "risk_level")
    )
    qs = range_filters(
        qs, filters, {"created_from": "created_at__gte", "created_to": "created_at__lt"}
    )
    return ordered(qs, filters.get("ordering"), CUSTOMER_ORDERING, "-created_at")


def customer_get(*, actor, customer_id: int, figures: Figures | None = None) -> Customer:
    customer = _customers(actor, figures).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound()
    return customer


def contact_list(*, actor, filters: dict):
    qs = Contact.objects.visible_to(actor).select_related("customer")
    qs = text_search(qs, filters.get("q"), ("name", "phone", "email", "wechat"), phone="phone")
    qs = exact_filters(qs, filters, ("customer_id", "is_primary"))
    return qs.order_by("customer_id", "-is_primary", "id")


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
