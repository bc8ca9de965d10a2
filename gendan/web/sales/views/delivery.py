"""Delivery (履约/交付): add a milestone to a contract, tick one off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gendan.org.people import assignable_users
from gendan.sales.choices import ContractStatus
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.services import delivery as delivery_services
from gendan.ui.dialogs import hx_refresh, render_dialog, run_service
from gendan.ui.lists import safe_next
from gendan.web.sales.forms import MilestoneForm
from gendan.web.sales.views.common import posted, run_or_flash


def _owners(user, contract) -> list:
    """Whom a milestone can go to: the contract's PM and owner, and anyone the user assigns."""
    people = [u for u in (contract.pm, contract.owner) if u is not None]
    known = {u.pk for u in people}
    return people + [u for u in assignable_users(user) if u.pk not in known]


@require_http_methods(["GET", "POST"])
@login_required
def milestone_create(request, contract_id: int):
    contract = contract_selectors.contract_get(actor=request.user, contract_id=contract_id)
    form = MilestoneForm(posted(request), owners=_owners(request.user, contract))
    if request.method == "POST" and form.is_valid():
        data = form.service_data(contract_id=contract.pk)
        milestone = run_service(
            form, lambda: delivery_services.milestone_create(actor=request.user, data=data)
        )
        if milestone is not None:
            return hx_refresh()
    return render_dialog(
        request,
        form,
        title=_("Add milestone to %(number)s") % {"number": contract.number},
        action=reverse("contracts:milestone_create", args=[contract.pk]),
        submit=_("Add milestone"),
    )


@require_POST
@login_required
def milestone_complete(request, milestone_id: int):
    """One click on the checklist; the last open milestone of an active contract fulfils it."""
    milestone = run_or_flash(
        request,
        lambda: delivery_services.milestone_complete(actor=request.user, milestone_id=milestone_id),
    )
    if milestone is None:
        return redirect(safe_next(request, reverse("contracts:list")))
    if milestone.contract.status == ContractStatus.FULFILLED:
        messages.success(request, _("Every milestone is done: the contract is fulfilled."))
    else:
        messages.success(request, _("Milestone “%(name)s” done.") % {"name": milestone.name})
    return redirect(reverse("contracts:detail", args=[milestone.contract_id]) + "#delivery")
