"""Lead pages: the list (with bulk assignment), the record page, and its dialogs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.capture import selectors as capture_selectors
from gendan.core.errors import DomainError, NotFound
from gendan.customers.models import Customer
from gendan.deals import conversion
from gendan.deals import selectors as deal_selectors
from gendan.fields import layouts, mapping
from gendan.fields import selectors as field_selectors
from gendan.fields.choices import RecordType
from gendan.fields.filters import page_filters
from gendan.followups import selectors as activity_selectors
from gendan.leads import pool, selectors, services
from gendan.leads.choices import LeadSource, LeadStatus
from gendan.leads.schemas import LeadFilter
from gendan.org.people import assignable_users
from gendan.ui.dialogs import (
    dialog_flow,
    hx_redirect,
    record_initial,
    render_dialog,
    run_service,
)
from gendan.ui.lists import (
    paginate_list,
    safe_next,
)
from gendan.ui.templatetags.gendan import local_name
from gendan.web.exports import export_download
from gendan.web.leads.forms import ConvertForm, DisqualifyForm, LeadForm, ReleaseForm

ORDERINGS = ("-created_at", "created_at", "name", "-last_activity_at", "next_follow_up_at")
# The list's tabs: the leads people work on (default), the public pool (公海), or both.
POOL_VIEWS = {"false": False, "true": True, "all": None}


def _list_filters(request):
    """The list's filters as the page shows them, its tab, and the filters the rows follow."""
    filters = page_filters(request, LeadFilter, RecordType.LEAD)
    pool_view = request.GET.get("in_pool") if request.GET.get("in_pool") in POOL_VIEWS else "false"
    tab = {"in_pool": POOL_VIEWS[pool_view]}
    if pool_view == "true" and not filters.ordering:
        tab["ordering"] = "-pool_entered_at"
    return filters, pool_view, filters.model_copy(update=tab)


@require_GET
@login_required
def lead_export(request):
    """The list as it is shown (tab, filters, order), as CSV or XLSX."""
    _filters, _tab, query = _list_filters(request)
    return export_download(request, "leads", query, reverse("leads:list"))


@require_GET
@login_required
def lead_list(request):
    filters, pool_view, query = _list_filters(request)
    qs = selectors.lead_list(actor=request.user, filters=query)
    page = paginate_list(request, qs, default_ordering="-created_at", filters=filters)
    return render(
        request,
        "leads/lead_list.html",
        {
            "page": page,
            "filters": filters,
            "pool_view": pool_view,
            "owners": assignable_users(request.user),
            "statuses": LeadStatus.choices,
            "sources": LeadSource.choices,
            "lead_forms": capture_selectors.form_options(),
            "orderings": ORDERINGS,
        },
    )


@require_GET
@login_required
def lead_detail(request, lead_id: int):
    lead = selectors.lead_get(actor=request.user, lead_id=lead_id)
    timeline = activity_selectors.timeline(
        actor=request.user, subject_type="lead", subject_id=lead.pk
    ).select_related("contract")
    tasks = activity_selectors.task_list(
        actor=request.user, filters={"subject_type": "lead", "subject_id": lead.pk}
    ).select_related("lead", "customer", "deal", "contract")
    return render(
        request,
        "leads/lead_detail.html",
        {
            "lead": lead,
            "source_form": capture_selectors.source_form(lead=lead),
            "events": list(timeline[:50]),
            "tasks": list(tasks[:20]),
        },
    )


LEAD_FIELDS = (
    "name",
    "company",
    "title",
    "phone",
    "email",
    "wechat",
    "source",
    "owner_id",
    "next_follow_up_at",
    "notes",
)


@require_http_methods(["GET", "POST"])
@login_required
def lead_create(request):
    owners = assignable_users(request.user)
    form = LeadForm(
        request.POST or None,
        owners=owners,
        initial={"owner_id": request.user.pk},
        user=request.user,
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.lead_create(actor=request.user, data=form.service_data()),
        done_url=lambda lead: reverse("leads:detail", args=[lead.pk]),
        title=_("New lead"),
        action=reverse("leads:create"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def lead_edit(request, lead_id: int):
    lead = selectors.lead_get(actor=request.user, lead_id=lead_id)
    initial = {**record_initial(lead, LEAD_FIELDS), "tags": ", ".join(lead.tags or [])}
    form = LeadForm(
        request.POST or None,
        owners=assignable_users(request.user),
        initial=initial,
        user=request.user,
        custom=lead.custom,
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.lead_update(
            actor=request.user,
            lead_id=lead.pk,
            data=form.service_data(),
            version=form.cleaned_data.get("version"),
        ),
        done_url=lambda _lead: reverse("leads:detail", args=[lead.pk]),
        title=_("Edit lead"),
        action=reverse("leads:edit", args=[lead.pk]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def lead_disqualify(request, lead_id: int):
    lead = selectors.lead_get(actor=request.user, lead_id=lead_id)
    form = DisqualifyForm(request.POST or None, initial={"version": lead.version})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.lead_update(
                actor=request.user,
                lead_id=lead.pk,
                data={
                    "status": LeadStatus.DISQUALIFIED,
                    "disqualify_reason": form.cleaned_data["disqualify_reason"],
                },
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            return hx_redirect(reverse("leads:detail", args=[lead.pk]))
    return render_dialog(
        request,
        form,
        title=_("Disqualify lead"),
        action=reverse("leads:disqualify", args=[lead.pk]),
        submit=_("Disqualify"),
    )


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _convert_initial(request, lead, pipelines: list) -> dict:
    """What the conversion dialog starts with: the names from the lead, a deal in the default
    pipeline; when it is drawn again (another customer, pipeline, or no deal), what was typed
    so far."""
    ids = [p.pk for p in pipelines]
    source = request.GET
    if not source:
        name = lead.company or lead.name
        first = ids[0] if ids else None
        return {"customer_name": name, "deal_name": name, "deal_pipeline_id": first}
    initial = {k: (v if len(v) > 1 else v[0]) for k, v in source.lists()}
    initial["create_deal"] = "create_deal" in source
    chosen = _int(source.get("deal_pipeline_id"))
    initial["deal_pipeline_id"] = chosen if chosen in ids else (ids[0] if ids else None)
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def lead_convert(request, lead_id: int):
    """The conversion dialog: the new customer's, contact's and deal's custom fields with it
    (their definitions read once for the whole dialog)."""
    with field_selectors.reading_once():
        lead = selectors.lead_get(actor=request.user, lead_id=lead_id)
        form, carried = _convert_form(request, lead)
        if request.method == "POST" and form.is_valid():
            links = run_service(
                form,
                lambda: conversion.lead_convert(
                    actor=request.user, lead_id=lead.pk, **form.service_kwargs()
                ),
            )
            if links is not None:
                messages.success(request, _("Lead converted."))
                if links.get("deal_id"):
                    return hx_redirect(reverse("deals:detail", args=[links["deal_id"]]))
                return hx_redirect(reverse("customers:detail", args=[links["customer_id"]]))
        return _convert_dialog(request, lead, form, carried)


def _convert_form(request, lead) -> tuple[ConvertForm, dict]:
    customers = Customer.objects.visible_to(request.user).order_by("name")[:200]
    pipelines = list(deal_selectors.pipeline_list(actor=request.user))  # the default one first
    initial = _convert_initial(request, lead, pipelines)
    pipeline_id = _int(request.POST.get("deal_pipeline_id")) if request.POST else None
    pipeline_id = pipeline_id or initial["deal_pipeline_id"]
    carried = mapping.carried(lead, actor=request.user)
    form = ConvertForm(
        request.POST or None,
        customers=customers,
        initial=initial,
        pipelines=[(p.pk, local_name(p)) for p in pipelines],
        user=request.user,
        carried=carried,
        layouts={
            "customer": layouts.read_once(request, RecordType.CUSTOMER),
            "contact": layouts.read_once(request, RecordType.CONTACT),
            "deal": layouts.read_once(request, RecordType.DEAL, pipeline_id),
        },
        redraw_url=reverse("leads:convert", args=[lead.pk]),
    )
    return form, carried


def _convert_dialog(request, lead, form: ConvertForm, carried: dict):
    # What is carried into a field the dialog does not show (hidden by a layout, or a part
    # not made here) is listed, so nothing is carried unseen.
    shown = {(part, f.key) for part, sub in form.parts.items() for f in sub.custom_fields}
    preview = mapping.carried_preview(lead, actor=request.user, values=carried)
    return render(
        request,
        "leads/_convert_dialog.html",
        {
            "form": form,
            "title": _("Convert lead"),
            "action": reverse("leads:convert", args=[lead.pk]),
            "submit": _("Convert"),
            "intro": _(
                "Creates the customer and the contact from this lead, and a deal if you wish."
            ),
            "carried": [r for r in preview if (r["target_type"], r["key"]) not in shown],
        },
    )


@require_POST
@login_required
def lead_claim(request, lead_id: int):
    """Claim (领取) a pool lead; a refusal (limit, cooling, taken) comes back as a message."""
    try:
        lead = pool.lead_claim(actor=request.user, lead_id=lead_id)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect(safe_next(request, reverse("leads:list") + "?in_pool=true"))
    messages.success(request, _("Lead claimed: it is yours now."))
    return redirect("leads:detail", lead_id=lead.pk)


@require_http_methods(["GET", "POST"])
@login_required
def lead_release(request, lead_id: int):
    """Release (退回) a lead to the public pool, saying why."""
    lead = selectors.lead_get(actor=request.user, lead_id=lead_id)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: pool.lead_release(
                actor=request.user, lead_id=lead.pk, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Lead released to the public pool."))
            return hx_redirect(reverse("leads:list") + "?in_pool=true")
    return render_dialog(
        request,
        form,
        title=_("Release to the public pool"),
        action=reverse("leads:release", args=[lead.pk]),
        submit=_("Release"),
        intro=_("The lead is no longer yours; your team's reps can claim it from the pool."),
    )
