"""Reads of after-sales visits."""

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
