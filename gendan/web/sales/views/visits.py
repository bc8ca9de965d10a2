"""After-sales visits (回访): the log-a-visit dialog, from a contract or a customer page."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gendan.customers import selectors as customer_selectors
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.selectors.visits import visit_figures
from gendan.sales.services import visits as visit_services
from gendan.ui.dialogs import hx_refresh, render_dialog, run_service
from gendan.ui.lists import int_or_none
from gendan.web.sales.forms import VisitForm
from gendan.web.sales.views.common import posted


@require_http_methods(["GET", "POST"])
@login_required
def visit_log(request):
    """`?contract_id=` logs the visit about that contract (its customer follows); `?customer_id=`
    logs one for the customer, optionally about one of its contracts."""
    source = request.POST if request.method == "POST" else request.GET
    contract_id = int_or_none(source.get("contract_id"))
    fixed = request.GET.get("fixed") == "1"
    if fixed and contract_id:
        contract = contract_selectors.contract_get(actor=request.user, contract_id=contract_id)
        customer_id, contracts, name = contract.customer_id, [contract], contract.customer.name
    else:
        customer = customer_selectors.customer_get(
            figures=visit_figures,
            actor=request.user,
            customer_id=int_or_none(source.get("customer_id")) or 0,
        )
        customer_id, name = customer.pk, customer.name
        contracts = contract_selectors.contract_list(
            actor=request.user, filters={"customer_id": customer.pk}
        )[:50]
    form = VisitForm(
        posted(request),
        contracts=contracts,
        fixed_contract=fixed,
        initial={"customer_id": customer_id, "contract_id": contract_id},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.service_data(), "customer_id": customer_id}
        visit = run_service(form, lambda: visit_services.visit_log(actor=request.user, data=data))
        if visit is not None:
            return hx_refresh()
    query = "?fixed=1" if fixed else ""
    return render_dialog(
        request,
        form,
        title=_("Log a visit to %(customer)s") % {"customer": name},
        action=reverse("sales:visit_log") + query,
        submit=_("Log visit"),
    )
