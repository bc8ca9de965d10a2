"""Reading lead forms: every one for an administrator; a public form by its token alone."""

from gendan.capture.models import LeadForm
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
