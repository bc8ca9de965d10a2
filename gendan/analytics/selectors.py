"""Reads of targets, scoped by `Target.objects.visible_to`."""

from gendan.analytics.models import Target
from gendan.core.errors import NotFound
from gendan.core.selectors import exact_filters, range_filters


def target_list(*, actor, filters: dict | None = None):
    filters = filters or {}
    qs = Target.objects.visible_to(actor).select_related("user", "team")
    qs = exact_filters(qs, filters, ("user_id", "team_id", "period", "metric", "start"))
    qs = range_filters(qs, filters, {"start_from": "start__gte", "start_to": "start__lte"})
    return qs.order_by("start", "id")


def target_get(*, actor, target_id: int) -> Target:
    target = Target.objects.visible_to(actor).select_related("user", "team").filter(pk=target_id)
    target = target.first()
    if target is None:
        raise NotFound()
    return target
