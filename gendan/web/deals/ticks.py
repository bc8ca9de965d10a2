"""Ticking a key action of a deal's current stage on the deal's page (htmx)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from gendan.core.errors import DomainError
from gendan.deals import checklist, selectors


@require_POST
@login_required
def checklist_tick(request, deal_id: int, item_id: str):
    """Tick (`ticked=true`) or untick the item; answers the checklist again."""
    deal = selectors.deal_get(actor=request.user, deal_id=deal_id)
    error = None
    try:
        if request.POST.get("ticked") == "true":
            checklist.checklist_tick(actor=request.user, deal_id=deal.pk, item_id=item_id)
        else:
            checklist.checklist_untick(actor=request.user, deal_id=deal.pk, item_id=item_id)
    except DomainError as exc:
        error = str(exc.detail)
    return render(
        request,
        "deals/_checklist.html",
        {
            "deal": deal,
            "checklist": checklist.deal_checklist(actor=request.user, deal_id=deal.pk),
            "checklist_error": error,
        },
    )
