"""Reads of after-sales visits."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum

from gendan.core.errors import NotFound
from gendan.core.selectors import exact_filters, range_filters
from gendan.sales.models import Visit


def _visits(actor):
    return Visit.objects.visible_to(actor).select_related("customer", "contract", "owner")


def visit_list(*, actor, filters: dict):
    qs = exact_filters(
        _visits(actor),
        filters,
        ("customer_id", "contract_id", "owner_id", "channel", "satisfaction"),
    )
    qs = range_filters(
        qs, filters, {"occurred_from": "occurred_at__gte", "occurred_to": "occurred_at__lt"}
    )
    return qs.order_by("-occurred_at", "-id")


def visit_get(*, actor, visit_id: int) -> Visit:
    visit = _visits(actor).filter(pk=visit_id).first()
    if visit is None:
        raise NotFound()
    return visit


def visit_figures(queryset):
    """After-sales visit figures on each customer, as correlated subqueries (no extra query):
    `last_visit_at`, `next_visit_at` (the one planned at the latest visit), and the sum and count
    of satisfaction scores that `CustomerOut.satisfaction_avg` divides."""
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
