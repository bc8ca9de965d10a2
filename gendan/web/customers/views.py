"""Customer and contact pages: lists, record pages, create and edit dialogs."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.customers import selectors, services
from gendan.customers.choices import CustomerStatus
from gendan.customers.schemas import ContactFilter, CustomerFilter, CustomerOut
from gendan.deals import selectors as deal_selectors
from gendan.fields.choices import RecordType
from gendan.fields.filters import page_filters
from gendan.followups import selectors as activity_selectors
from gendan.org import duplicates
from gendan.org.people import assignable_users
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.selectors import visits as visit_selectors
from gendan.sales.selectors.visits import visit_figures
from gendan.ui.dialogs import dialog_flow, record_initial
from gendan.ui.lists import paginate_list
from gendan.web.customers.forms import ContactForm, CustomerForm
from gendan.web.exports import export_download

CUSTOMER_FIELDS = (
    "name",
    "industry",
    "size",
    "region",
    "status",
    "address",
    "website",
    "owner_id",
    "notes",
)
CONTACT_FIELDS = ("customer_id", "name", "title", "phone", "email", "wechat", "is_primary")


@require_GET
@login_required
def customer_list(request):
    filters = page_filters(request, CustomerFilter, RecordType.CUSTOMER)
    qs = selectors.customer_list(figures=visit_figures, actor=request.user, filters=filters)
    page = paginate_list(request, qs, default_ordering="-created_at", filters=filters)
    return render(
        request,
        "customers/customer_list.html",
        {
            "page": page,
            "filters": filters,
            "owners": assignable_users(request.user),
            "statuses": CustomerStatus.choices,
        },
    )


@require_GET
@login_required
def customer_export(request):
    filters = page_filters(request, CustomerFilter, RecordType.CUSTOMER)
    return export_download(request, "customers", filters, reverse("customers:list"))


@require_GET
@login_required
def customer_detail(request, customer_id: int):
    customer = selectors.customer_get(
        figures=visit_figures, actor=request.user, customer_id=customer_id
    )
    deals = deal_selectors.deal_list(actor=request.user, filters={"customer_id": customer.pk})
    contacts = selectors.contact_list(actor=request.user, filters={"customer_id": customer.pk})
    events = activity_selectors.timeline(
        actor=request.user, subject_type="customer", subject_id=customer.pk
    ).select_related("contract")
    by_customer = {"customer_id": customer.pk}
    contracts = contract_selectors.contract_list(actor=request.user, filters=by_customer)
    visits = visit_selectors.visit_list(actor=request.user, filters=by_customer)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "contracts": list(contracts[:20]),
            "visits": list(visits[:5]),
            "satisfaction_avg": CustomerOut.resolve_satisfaction_avg(customer),
            "show_contract": True,
            "deals": list(deals[:50]),
            "contacts": list(contacts[:50]),
            "events": list(events[:50]),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def customer_create(request):
    form = CustomerForm(
        request.POST or None,
        owners=assignable_users(request.user),
        initial={"owner_id": request.user.pk},
        user=request.user,
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.customer_create(
            actor=request.user,
            data=form.service_data(),
            duplicates_mode=duplicates.form_mode(bool(request.POST.get("save_anyway"))),
        ),
        done_url=lambda customer: reverse("customers:detail", args=[customer.pk]),
        title=_("New customer"),
        action=reverse("customers:create"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def customer_edit(request, customer_id: int):
    customer = selectors.customer_get(actor=request.user, customer_id=customer_id)
    form = CustomerForm(
        request.POST or None,
        owners=assignable_users(request.user),
        initial=record_initial(customer, CUSTOMER_FIELDS),
        user=request.user,
        custom=customer.custom,
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.customer_update(
            actor=request.user,
            customer_id=customer.pk,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        ),
        done_url=lambda _customer: reverse("customers:detail", args=[customer.pk]),
        title=_("Edit customer"),
        action=reverse("customers:edit", args=[customer.pk]),
    )


@require_GET
@login_required
def contact_list(request):
    filters = page_filters(request, ContactFilter, RecordType.CONTACT)
    qs = selectors.contact_list(actor=request.user, filters=filters)
    page = paginate_list(request, qs, default_ordering="name", filters=filters)
    return render(request, "customers/contact_list.html", {"page": page, "filters": filters})


@require_GET
@login_required
def contact_export(request):
    filters = page_filters(request, ContactFilter, RecordType.CONTACT)
    return export_download(request, "contacts", filters, reverse("contacts:list"))


@require_GET
@login_required
def contact_detail(request, contact_id: int):
    contact = selectors.contact_get(actor=request.user, contact_id=contact_id)
    deals = deal_selectors.deal_list(actor=request.user, filters={"contact_id": contact.pk})
    return render(
        request, "customers/contact_detail.html", {"contact": contact, "deals": list(deals[:50])}
    )


@require_http_methods(["GET", "POST"])
@login_required
def contact_create(request):
    form = ContactForm(
        request.POST or None,
        initial={"customer_id": request.GET.get("customer_id")},
        user=request.user,
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.contact_create(
            actor=request.user,
            data=form.service_data(),
            duplicates_mode=duplicates.form_mode(bool(request.POST.get("save_anyway"))),
        ),
        done_url=lambda contact: reverse("customers:detail", args=[contact.customer_id]),
        title=_("New contact"),
        action=reverse("contacts:create"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def contact_edit(request, contact_id: int):
    contact = selectors.contact_get(actor=request.user, contact_id=contact_id)
    form = ContactForm(
        request.POST or None,
        initial=record_initial(contact, CONTACT_FIELDS),
        user=request.user,
        custom=contact.custom,
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.contact_update(
            actor=request.user,
            contact_id=contact.pk,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        ),
        done_url=lambda _contact: reverse("contacts:detail", args=[contact.pk]),
        title=_("Edit contact"),
        action=reverse("contacts:edit", args=[contact.pk]),
    )
