"""Reads of delivery milestones: visible exactly when their contract is."""

from gendan.core.errors import NotFound
from gendan.sales.models import Milestone
from gendan.sales.schemas.delivery import MilestoneFilter
from gendan.sales.selectors.contracts import contract_scoped


def _milestones(actor):
    return contract_scoped(Milestone.objects.select_related("contract", "owner"), actor)


def milestone_list(*, actor, filters: MilestoneFilter | dict):
    qs = MilestoneFilter.of(filters).apply(_milestones(actor))
    return qs.order_by("contract_id", "position", "due_date", "id")


def milestone_get(*, actor, milestone_id: int) -> Milestone:
    milestone = _milestones(actor).filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound()
    return milestone
