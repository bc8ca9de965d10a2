"""Contract pages (合同): the list, the record page, and the dialogs of its life cycle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core.errors import Conflict
from gendan.customers import selectors as customer_selectors
from gendan.fields.choices import RecordType
from gendan.fields.filters import page_filters
from gendan.followups import selectors as activity_selectors
from gendan.org import selectors as org_selectors
from gendan.org.people import assignable_users
from gendan.sales.schemas.contracts import ContractFilter
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.selectors import delivery as delivery_selectors
from gendan.sales.selectors import payments as payment_selectors
from gendan.sales.selectors import visits as visit_selectors
from gendan.sales.services import contracts as contract_services
from gendan.ui.dialogs import hx_redirect, hx_refresh, render_dialog, run_service
from gendan.ui.lists import int_or_none, paginate_list
from gendan.web.exports import export_download
from gendan.web.sales.forms import (
    AcceptForm,
    ActivateForm,
    ContractForm,
    TerminateForm,
    contract_status_choices,
)
from gendan.web.sales.views.common import posted

CONTRACT_FIELDS = (
    "title",
    "amount",
    "currency",
    "signed_at",
    "start_date",
    "end_date",
    "owner_id",
    "pm_id",
    "terms",
)


def _detail_url(contract_id: int) -> str:
    return reverse("contracts:detail", args=[contract_id])


@require_GET
@login_required
def contract_list(request):
    filters = page_filters(request, ContractFilter, RecordType.CONTRACT)
    qs = contract_selectors.contract_list(actor=request.user, filters=filters)
    page = paginate_list(request, qs, default_ordering="-created_at", filters=filters)
    return render(
        request,
        "sales/contract_list.html",
        {
            "page": page,
            "filters": filters,
            "owners": assignable_users(request.user),
            "statuses": contract_status_choices(),
        },
    )


@require_GET
@login_required
def contract_export(request):
    filters = page_filters(request, ContractFilter, RecordType.CONTRACT)
    return export_download(request, "contracts", filters, reverse("contracts:list"))


@require_GET
@login_required
def contract_detail(request, contract_id: int):
    user = request.user
    contract = contract_selectors.contract_get(actor=user, contract_id=contract_id)
    by_contract = {"contract_id": contract.pk}
    plans = payment_selectors.plan_list(actor=user, filters=by_contract)
    payments = payment_selectors.payment_list(actor=user, filters=by_contract)
    milestones = delivery_selectors.milestone_list(actor=user, filters=by_contract)
    visits = visit_selectors.visit_list(actor=user, filters=by_contract)
    events = activity_selectors.timeline(
        actor=user, subject_type="contract", subject_id=contract.pk
    )
    tasks = activity_selectors.task_list(
        actor=user, filters={"subject_type": "contract", "subject_id": contract.pk}
    ).select_related("lead", "customer", "deal", "contract")
    milestones = list(milestones)
    return render(
        request,
        "sales/contract_detail.html",
        {
            "contract": contract,
            "plans": list(plans),
            "payments": list(payments[:50]),
            "milestones": milestones,
            "milestones_done": sum(1 for m in milestones if m.done_at),
            "milestones_total": len(milestones),
            "visits": list(visits[:20]),
            "events": list(events[:50]),
            "subject_type": "contract",
            "tasks": list(tasks[:20]),
            "today": timezone.localdate(),
        },
    )


def _people(user, contract=None) -> dict:
    return {
        "owners": assignable_users(user),
        "pms": org_selectors.user_list(actor=user, filters={"is_active": True}).order_by(
            "display_name", "username"
        ),
        "owner": contract.owner if contract else None,
        "pm": contract.pm if contract else None,
    }


@require_http_methods(["GET", "POST"])
@login_required
def contract_create(request):
    """A draft contract for a customer without going through a deal (from the customer page)."""
    customer_id = int_or_none(request.POST.get("customer_id") or request.GET.get("customer_id"))
    customer = customer_selectors.customer_get(actor=request.user, customer_id=customer_id or 0)
    form = ContractForm(
        posted(request),
        initial={"customer_id": customer.pk, "owner_id": request.user.pk, "title": customer.name},
        user=request.user,
        **_people(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = {"customer_id": customer.pk, **form.service_data()}
        contract = run_service(
            form, lambda: contract_services.contract_create(actor=request.user, data=data)
        )
        if contract is not None:
            return hx_redirect(_detail_url(contract.pk))
    return render_dialog(
        request,
        form,
        title=_("New contract for %(customer)s") % {"customer": customer.name},
        action=reverse("contracts:create"),
        submit=_("Create draft"),
    )


@require_POST
@login_required
def contract_create_from_deal(request, deal_id: int):
    """The "Create contract" button of a won deal: a draft from the deal, then its page."""
    deal_url = reverse("deals:detail", args=[deal_id])
    try:
        contract = contract_services.contract_create_from_deal(actor=request.user, deal_id=deal_id)
    except Conflict as exc:
        existing = exc.extra.get("contract_id")
        messages.warning(request, str(exc.detail))
        return redirect(_detail_url(existing) if existing else deal_url)
    messages.success(request, _("Contract %(number)s drafted.") % {"number": contract.number})
    return redirect(_detail_url(contract.pk))


@require_http_methods(["GET", "POST"])
@login_required
def contract_edit(request, contract_id: int):
    contract = contract_selectors.contract_get(actor=request.user, contract_id=contract_id)
    initial = {"version": contract.version, **{f: getattr(contract, f) for f in CONTRACT_FIELDS}}
    form = ContractForm(
        posted(request),
        initial=initial,
        user=request.user,
        custom=contract.custom,
        **_people(request.user, contract),
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: contract_services.contract_update(
                actor=request.user,
                contract_id=contract.pk,
                data=form.service_data(changed_only=True),
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            return hx_refresh()
    return render_dialog(
        request,
        form,
        title=_("Edit contract %(number)s") % {"number": contract.number},
        action=reverse("contracts:edit", args=[contract.pk]),
    )


def _contract_action(
    request, contract_id: int, *, form_class, service, url_name, initial=None, **dialog
):
    """A dialog that moves a contract through its life (activate, accept, terminate): the form's
    fields go to the service as they are."""
    contract = contract_selectors.contract_get(actor=request.user, contract_id=contract_id)
    fields = {"version": contract.version, **(initial(contract) if initial else {})}
    form = form_class(posted(request), initial=fields)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: service(actor=request.user, contract_id=contract.pk, **form.cleaned_data),
        )
        if done is not None:
            return hx_refresh()
    number = {"number": contract.number}
    return render_dialog(
        request,
        form,
        title=dialog["title"] % number,
        action=reverse(url_name, args=[contract.pk]),
        submit=dialog["submit"],
        intro=dialog["intro"],
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_activate(request, contract_id: int):
    return _contract_action(
        request,
        contract_id,
        form_class=ActivateForm,
        service=contract_services.contract_activate,
        url_name="contracts:activate",
        initial=lambda contract: {"signed_at": contract.signed_at},
        title=_("Activate contract %(number)s"),
        submit=_("Activate"),
        intro=_("The contract is signed: it becomes active and can take payments."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_accept(request, contract_id: int):
    return _contract_action(
        request,
        contract_id,
        form_class=AcceptForm,
        service=contract_services.contract_accept,
        url_name="contracts:accept",
        title=_("Customer acceptance of %(number)s"),
        submit=_("Record acceptance"),
        intro=_(
            "The customer accepted the delivery (验收): the contract becomes fulfilled, whatever "
            "milestones are still open. Payments can still be recorded."
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contract_terminate(request, contract_id: int):
    return _contract_action(
        request,
        contract_id,
        form_class=TerminateForm,
        service=contract_services.contract_terminate,
        url_name="contracts:terminate",
        title=_("Terminate contract %(number)s"),
        submit=_("Terminate"),
        intro=_("A terminated contract takes no more payments and its delivery stops."),
    )
