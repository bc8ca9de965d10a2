"""Money pages: payments received (回款) across contracts, and the dialogs that add an
installment (回款计划) or record a payment on a contract."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.sales.choices import PaymentMethod
from gendan.sales.pricing import format_money
from gendan.sales.schemas.payments import PaymentFilter
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.selectors import payments as payment_selectors
from gendan.sales.services import payments as payment_services
from gendan.ui.dialogs import hx_refresh, render_dialog, run_service
from gendan.ui.lists import int_or_none, paginate_list, parse_filters
from gendan.web.sales.forms import PaymentForm, PlanForm
from gendan.web.sales.views.common import posted, run_keeping_figures


def _periods(today) -> list[dict]:
    """Quick date ranges for the filter bar."""
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    return [
        {"label": _("This month"), "from": month, "to": today},
        {"label": _("Last month"), "from": last_month_end.replace(day=1), "to": last_month_end},
        {"label": _("This year"), "from": today.replace(month=1, day=1), "to": today},
    ]


@require_GET
@login_required
def payment_list(request):
    """Payments received on the contracts the reader may see, with the sum of the filtered
    ones per currency. `q` matches the contract's number, title or customer."""
    filters = parse_filters(request, PaymentFilter)
    qs = payment_selectors.payment_list(actor=request.user, filters=filters).select_related(
        "contract__customer"
    )
    totals = [
        {**row, "amount": contract_selectors.money(row["amount"])}
        for row in payment_selectors.payment_totals(qs)
    ]
    page = paginate_list(request, qs, default_ordering="-received_at", filters=filters)
    return render(
        request,
        "sales/payment_list.html",
        {
            "page": page,
            "filters": filters,
            "totals": totals or [{"currency": "CNY", "amount": 0}],
            "methods": PaymentMethod.choices,
            "periods": _periods(timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request, contract_id: int):
    contract = contract_selectors.contract_get(actor=request.user, contract_id=contract_id)
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.service_data(contract_id=contract.pk)
        plan = run_service(
            form, lambda: payment_services.plan_create(actor=request.user, data=data)
        )
        if plan is not None:
            return hx_refresh()
    available = max(contract.amount - contract.planned_total, 0)
    return render_dialog(
        request,
        form,
        title=_("Add installment to %(number)s") % {"number": contract.number},
        action=reverse("contracts:plan_create", args=[contract.pk]),
        submit=_("Add installment"),
        intro=_("%(planned)s of %(amount)s is planned; %(available)s can still be added.")
        % {
            "planned": format_money(contract.planned_total),
            "amount": format_money(contract.amount),
            "available": format_money(available),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def payment_record(request, contract_id: int):
    """Record money received. A payment above what is outstanding is refused (422) and the
    dialog shows the figures: outstanding, contract amount, already received."""
    contract = contract_selectors.contract_get(actor=request.user, contract_id=contract_id)
    plans = payment_selectors.plan_list(actor=request.user, filters={"contract_id": contract.pk})
    form = PaymentForm(
        posted(request),
        plans=plans,
        currency=contract.currency,
        initial={"plan_id": int_or_none(request.GET.get("plan_id"))},
    )
    form.figures, form.refusal = {}, ""
    if request.method == "POST" and form.is_valid():
        data = form.service_data(contract_id=contract.pk)
        payment = run_keeping_figures(
            form, lambda: payment_services.payment_record(actor=request.user, data=data)
        )
        if payment is not None:
            return hx_refresh()
    return render(
        request,
        "sales/_payment_dialog.html",
        {
            "form": form,
            "contract": contract,
            "outstanding": contract.amount - contract.received_amount,
            "action": reverse("contracts:payment_create", args=[contract.pk]),
        },
    )
