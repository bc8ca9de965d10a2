from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum

from gendan.core.errors import NotFound
from gendan.core.selectors import (
    contact_phone_q,
    exact_filters,
    ordered,
    range_filters,
    text_search,
)
from gendan.customers.models import Contact, Customer

CUSTOMER_ORDERING = ("created_at", "updated_at", "name", "last_activity_at", "next_follow_up_at")


def _visit_figures(queryset):
    """After-sales visit figures on each customer, as correlated subqueries (no extra query):
    `last_visit_at`, `next_visit_at` (the one planned at the latest visit), and the sum and count
    of satisfaction scores that `CustomerOut.satisfaction_avg` divides."""
    from gendan.sales.models import Visit

    visits = Visit.objects.filter(customer=OuterRef("pk")).order_by("-occurred_at", "-id")
    scored = (
        Visit.objects.filter(customer=OuterRef("pk"), satisfaction__isnull=False)
        .order_by()
        .values("customer")
    )
    return queryset.annotate(
        last_visit_at=Subquery(visits.values("occurred_at")[:1]),
        next_visit_at=Subquery(visits.values("next_visit_at")[:1]),
        satisfaction_sum=Subquery(
            scored.annotate(s=Sum("satisfaction")).values("s")[:1], output_field=IntegerField()
        ),
        satisfaction_count=Subquery(
            scored.annotate(c=Count("id")).values("c")[:1], output_field=IntegerField()
        ),
    )


def customer_list(*, actor, filters: dict):
    qs = _visit_figures(Customer.objects.visible_to(actor).select_related("owner"))
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


def customer_get(*, actor, customer_id: int) -> Customer:
    customer = (
        _visit_figures(Customer.objects.visible_to(actor).select_related("owner"))
        .filter(pk=customer_id)
        .first()
    )
    if customer is None:
        raise NotFound()
    return customer


def contact_list(*, actor, filters: dict):
    qs = Contact.objects.visible_to(actor).select_related("customer")
    qs = text_search(qs, filters.get("q"), ("name", "phone", "email", "wechat"), phone="phone")
    qs = exact_filters(qs, filters, ("customer_id", "is_primary"))
    return qs.order_by("customer_id", "-is_primary", "id")


def contact_get(*, actor, contact_id: int) -> Contact:
    contact = (
        Contact.objects.visible_to(actor).select_related("customer").filter(pk=contact_id).first()
    )
    if contact is None:
        raise NotFound()
    return contact
