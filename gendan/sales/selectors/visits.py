"""Reads of after-sales visits."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum

from gendan.core.errors import NotFound
from gendan.sales.models import Visit
from gendan.sales.schemas.visits import VisitFilter


def _visits(actor):
    return Visit.objects.visible_to(actor).select_related("customer", "contract", "owner")


def visit_list(*, actor, filters: VisitFilter | dict):
    return VisitFilter.of(filters).apply(_visits(actor)).order_by("-occurred_at", "-id")


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
