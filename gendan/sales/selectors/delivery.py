"""Reads of delivery milestones: visible exactly when their contract is."""

from gendan.core.errors import NotFound
from gendan.core.selectors import exact_filters, range_filters
from gendan.sales.models import Milestone
from gendan.sales.selectors.contracts import contract_scoped


def _milestones(actor):
    return contract_scoped(Milestone.objects.select_related("contract", "owner"), actor)


def milestone_list(*, actor, filters: dict):
    qs = exact_filters(_milestones(actor), filters, ("contract_id", "owner_id"))
    qs = range_filters(qs, filters, {"due_from": "due_date__gte", "due_to": "due_date__lte"})
    if filters.get("done") is not None:
        qs = qs.filter(done_at__isnull=not filters["done"])
    return qs.order_by("contract_id", "position", "due_date", "id")


def milestone_get(*, actor, milestone_id: int) -> Milestone:
    milestone = _milestones(actor).filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound()
    return milestone
