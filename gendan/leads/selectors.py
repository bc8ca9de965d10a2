from gendan.core.errors import NotFound
from gendan.fields.choices import RecordType
from gendan.fields.filters import custom_list
from gendan.leads.models import Lead
from gendan.leads.schemas import LeadFilter

ORDERING = (
    "created_at",
    "updated_at",
    "name",
    "last_activity_at",
    "next_follow_up_at",
    "pool_entered_at",
)


def lead_list(*, actor, filters: LeadFilter | dict):
    filters = LeadFilter.of(filters)
    scoped = Lead.objects.visible_to(actor, pooled=False if filters.in_pool is False else None)
    qs = filters.apply(scoped.select_related("owner"))
    return custom_list(
        qs, RecordType.LEAD, filters, actor=actor, allowed=ORDERING, default="-created_at"
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
