import json

from django.db.models import Q

from gendan.core.errors import NotFound
from gendan.core.selectors import exact_filters, ordered, range_filters, text_search
from gendan.leads.models import Lead

ORDERING = (
    "created_at",
    "updated_at",
    "name",
    "last_activity_at",
    "next_follow_up_at",
    "pool_entered_at",
)


def lead_list(*, actor, filters: dict):
    qs = Lead.objects.visible_to(actor).select_related("owner")
    qs = text_search(qs, filters.get("q"), ("name", "company", "phone", "email"), phone="phone")
    qs = exact_filters(qs, filters, ("status", "source", "owner_id", "in_pool"))
    if filters.get("tag"):
        qs = _with_tag(qs, filters["tag"])
    qs = range_filters(
        qs,
        filters,
        {
            "created_from": "created_at__gte",
            "created_to": "created_at__lt",
            "follow_up_before": "next_follow_up_at__lt",
        },
    )
    return ordered(qs, filters.get("ordering"), ORDERING, "-created_at")


def _with_tag(qs, tag: str):
    # JSON containment differs between SQLite and PostgreSQL; a quoted substring match on the
    # serialised list works on both for the exact tag. PostgreSQL prints non-ASCII text as is,
    # SQLite keeps the ASCII-escaped form Django wrote (\u91cd...), so match either spelling.
    return qs.filter(
        Q(tags__icontains=json.dumps(tag, ensure_ascii=False)) | Q(tags__icontains=json.dumps(tag))
    )


def lead_get(*, actor, lead_id: int) -> Lead:
    lead = Lead.objects.visible_to(actor).select_related("owner").filter(pk=lead_id).first()
    if lead is None:
        raise NotFound()
    return lead


def lead_created(*, actor, lead_id: int) -> Lead:
    """The lead the actor has just created, as it is now: an automation rule that ran when it
    was saved may already have given it to someone outside the actor's scope, and the creator
    still gets the record they made in the answer (later reads are scoped as usual)."""
    return Lead.objects.select_related("owner").get(pk=lead_id)
