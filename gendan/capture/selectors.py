"""Reading lead forms: every one for an administrator; a public form by its token alone;
the form that made a lead, for whoever sees the lead."""

from django.db.models import F, Prefetch, prefetch_related_objects

from gendan.capture.models import CapturedLead, LeadForm
from gendan.core.errors import NotFound
from gendan.org.services import require_admin


def form_list(*, actor, archived: bool = False):
    require_admin(actor)
    qs = LeadForm.objects.select_related("owner")
    return qs if archived else qs.filter(archived_at__isnull=True)


def form_get(*, actor, form_id: int) -> LeadForm:
    require_admin(actor)
    form = LeadForm.objects.select_related("owner").filter(pk=form_id).first()
    if form is None:
        raise NotFound()
    return form


def public_form(*, token: str) -> LeadForm:
    """The form a visitor opens: active and not archived, else as if it did not exist."""
    form = LeadForm.objects.filter(
        token=token or "", is_active=True, archived_at__isnull=True
    ).first()
    if form is None:
        raise NotFound()
    return form


def form_options() -> list[LeadForm]:
    """Every form by name (the archived ones last), to filter the lead list by: a form's name
    is no secret to whoever sees its leads."""
    forms = LeadForm.objects.only("pk", "name", "archived_at")
    return list(forms.order_by(F("archived_at").asc(nulls_first=True), "name"))


def with_source_forms(leads):
    """A queryset of leads (already scoped) that reads each one's form in the same query."""
    return leads.select_related("captured__form")


def with_source_form(lead):
    """One lead read already, with the form that made it (one query)."""
    link = Prefetch("captured", queryset=CapturedLead.objects.select_related("form"))
    prefetch_related_objects([lead], link)
    return lead


def source_form(*, lead) -> LeadForm | None:
    """The form that made a lead the caller sees, or None."""
    link = CapturedLead.objects.select_related("form").filter(lead_id=lead.pk).first()
    return link.form if link else None
