"""Bulk assignment from the list pages: give the selected records to another owner.

Each record goes through its own update service, so scope, reassignment rules, timeline
events and notifications are exactly those of a single edit.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gendan.core.errors import DomainError
from gendan.customers import services as customer_services
from gendan.deals import services as deal_services
from gendan.leads import services as lead_services
from gendan.ui.lists import safe_next

MAX_SELECTION = 200

UPDATERS = {
    "leads": lambda actor, pk, owner_id: lead_services.lead_update(
        actor=actor, lead_id=pk, data={"owner_id": owner_id}
    ),
    "customers": lambda actor, pk, owner_id: customer_services.customer_update(
        actor=actor, customer_id=pk, data={"owner_id": owner_id}
    ),
    "deals": lambda actor, pk, owner_id: deal_services.deal_update(
        actor=actor, deal_id=pk, data={"owner_id": owner_id}
    ),
}


class BulkAssignForm(forms.Form):
    ids = forms.CharField()
    owner_id = forms.IntegerField()

    def id_list(self) -> list[int]:
        ids = [int(x) for x in self.cleaned_data["ids"].split(",") if x.strip().isdigit()]
        return list(dict.fromkeys(ids))[:MAX_SELECTION]


@require_POST
@login_required
def bulk_assign(request, kind: str):
    update = UPDATERS.get(kind)
    if update is None:
        raise Http404
    back = safe_next(request, reverse(f"{kind}:list"))
    form = BulkAssignForm(request.POST)
    if not form.is_valid() or not form.id_list():
        messages.error(request, _("Choose records and an owner."))
        return redirect(back)
    done = failed = 0
    for pk in form.id_list():
        try:
            update(request.user, pk, form.cleaned_data["owner_id"])
            done += 1
        except DomainError:
            failed += 1
    if done:
        messages.success(
            request,
            ngettext("%(n)d record assigned.", "%(n)d records assigned.", done) % {"n": done},
        )
    if failed:
        messages.warning(
            request,
            ngettext(
                "%(n)d record could not be assigned (out of your scope or not allowed).",
                "%(n)d records could not be assigned (out of your scope or not allowed).",
                failed,
            )
            % {"n": failed},
        )
    return redirect(back)
