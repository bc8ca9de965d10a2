"""Pipeline board (看板) pages: the board, one column's next cards, and moving a deal."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gendan.core.risk import RiskLevel
from gendan.customers.selectors import contact_choices
from gendan.deals import checklist, selectors, services
from gendan.deals.choices import DealStatus
from gendan.deals.schemas import DealFilter
from gendan.fields import layouts
from gendan.fields.choices import RecordType
from gendan.fields.filters import page_filters
from gendan.followups import selectors as activity_selectors
from gendan.org.models import Team
from gendan.org.people import assignable_users
from gendan.sales.choices import ContractStatus
from gendan.sales.selectors import contracts as contract_selectors
from gendan.sales.selectors import quotes as quote_selectors
from gendan.ui.dialogs import dialog_flow, hx_refresh, render_dialog, run_service
from gendan.ui.lists import paginate_list
from gendan.ui.templatetags.gendan import local_name
from gendan.web.deals.forms import DealCreateForm, DealForm
from gendan.web.exports import export_download


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _board_filters(request) -> dict:
    return {
        "pipeline_id": _int(request.GET.get("pipeline_id")),
        "owner_id": _int(request.GET.get("owner_id")),
        "team_id": _int(request.GET.get("team_id")),
        "q": (request.GET.get("q") or "").strip() or None,
    }


@require_GET
@login_required
def deal_board(request):
    filters = _board_filters(request)
    board = selectors.deal_board(actor=request.user, **filters)
    context = {"board": board, "filters": filters, "querystring": request.GET.urlencode()}
    if request.htmx and request.htmx.target == "gd-board":
        return render(request, "deals/_board.html", context)
    context.update(
        pipelines=list(selectors.pipeline_list(actor=request.user)),
        owners=assignable_users(request.user),
        teams=list(Team.objects.order_by("name")),
    )
    return render(request, "deals/deal_board.html", context)


@require_GET
@login_required
def deal_board_column(request):
    """The next cards of one column (infinite scroll)."""
    filters = _board_filters(request)
    board = selectors.deal_board(
        actor=request.user,
        stage_id=_int(request.GET.get("stage_id")),
        cursor=_int(request.GET.get("cursor")),
        **filters,
    )
    column = board["columns"][0]
    return render(
        request,
        "deals/_cards.html",
        {"column": column, "querystring": request.GET.urlencode(), "filters": filters},
    )


# Lists and record pages ---------------------------------------------------------------------

DEAL_FIELDS = (
    "name",
    "amount",
    "expected_close_date",
    "contact_id",
    "owner_id",
    "risk_level",
    "next_follow_up_at",
    "notes",
)


@require_GET
@login_required
def deal_export(request):
    filters = page_filters(request, DealFilter, RecordType.DEAL)
    return export_download(request, "deals", filters, reverse("deals:list"))


@require_GET
@login_required
def deal_list(request):
    filters = page_filters(request, DealFilter, RecordType.DEAL)
    qs = selectors.deal_list(actor=request.user, filters=filters)
    page = paginate_list(request, qs, default_ordering="-created_at", filters=filters)
    stages = [s for p in selectors.pipeline_list(actor=request.user) for s in p.stages.all()]
    return render(
        request,
        "deals/deal_list.html",
        {
            "page": page,
            "filters": filters,
            "owners": assignable_users(request.user),
            "stages": stages,
            "statuses": DealStatus.choices,
            "risks": RiskLevel.choices,
        },
    )


@require_GET
@login_required
def deal_detail(request, deal_id: int):
    deal = selectors.deal_get(actor=request.user, deal_id=deal_id)
    pipeline = selectors.pipeline_get(actor=request.user, pipeline_id=deal.pipeline_id)
    stages = list(pipeline.stages.all())
    current = next((s for s in stages if s.pk == deal.stage_id), None)
    passed = {
        c.to_stage_id for c in selectors.deal_stage_history(actor=request.user, deal_id=deal.pk)
    }
    events = activity_selectors.timeline(
        actor=request.user, subject_type="deal", subject_id=deal.pk
    ).select_related("contract")
    tasks = activity_selectors.task_list(
        actor=request.user, filters={"subject_type": "deal", "subject_id": deal.pk}
    ).select_related("lead", "customer", "deal", "contract")
    quotes = quote_selectors.quote_list(actor=request.user, filters={"deal_id": deal.pk})
    contracts = list(
        contract_selectors.contract_list(actor=request.user, filters={"deal_id": deal.pk})[:20]
    )
    return render(
        request,
        "deals/deal_detail.html",
        {
            "deal": deal,
            "quotes": list(quotes.prefetch_related(None)[:20]),
            "contracts": contracts,
            "can_create_contract": deal.status == DealStatus.WON
            and all(c.status == ContractStatus.TERMINATED for c in contracts),
            "stages": stages,
            "current": current,
            "passed": passed,
            "open_stages": [s for s in stages if s.kind == "open"],
            "won_stage": next((s for s in stages if s.kind == "won"), None),
            "lost_stage": next((s for s in stages if s.kind == "lost"), None),
            "checklist": checklist.checklist_of(deal),
            "events": list(events[:50]),
            "tasks": list(tasks[:20]),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def deal_edit(request, deal_id: int):
    deal = selectors.deal_get(actor=request.user, deal_id=deal_id)
    initial = {"version": deal.version, **{f: getattr(deal, f) for f in DEAL_FIELDS}}
    form = DealForm(
        request.POST or None,
        owners=assignable_users(request.user),
        contacts=contact_choices(actor=request.user, customer_id=deal.customer_id),
        initial=initial,
        user=request.user,
        custom=deal.custom,
        layout=layouts.read_once(request, RecordType.DEAL, deal.pipeline_id),
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.deal_update(
                actor=request.user,
                deal_id=deal.pk,
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            return hx_refresh()
    return render_dialog(
        request, form, title=_("Edit deal"), action=reverse("deals:edit", args=[deal.pk])
    )


def _create_initial(request, pipelines: list) -> dict:
    """What a new deal's form starts with: the customer, the pipeline (the default one), and,
    when the dialog is drawn again for another pipeline, what was typed so far."""
    source = request.GET
    initial = {k: v for k, v in source.items() if k not in ("customer_id", "pipeline_id")}
    initial["customer_id"] = _int(source.get("customer_id"))
    chosen = _int(source.get("pipeline_id"))
    ids = [p.pk for p in pipelines]
    initial["pipeline_id"] = chosen if chosen in ids else (ids[0] if ids else None)
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def deal_create(request):
    """The new-deal dialog, laid out by the layout of the pipeline chosen."""
    pipelines = list(selectors.pipeline_list(actor=request.user))  # the default one first
    initial = _create_initial(request, pipelines)
    pipeline_id = _int(request.POST.get("pipeline_id")) if request.POST else None
    pipeline_id = pipeline_id or initial["pipeline_id"]
    customer_id = _int(request.POST.get("customer_id")) or initial["customer_id"]
    form = DealCreateForm(
        request.POST or None,
        initial=initial,
        owners=assignable_users(request.user),
        contacts=contact_choices(actor=request.user, customer_id=customer_id)
        if customer_id
        else (),
        pipelines=[(p.pk, local_name(p)) for p in pipelines],
        user=request.user,
        layout=layouts.read_once(request, RecordType.DEAL, pipeline_id),
    )
    return dialog_flow(
        request,
        form,
        save=lambda: services.deal_create(actor=request.user, data=form.service_data()),
        done_url=lambda deal: reverse("deals:detail", args=[deal.pk]),
        title=_("New deal"),
        action=reverse("deals:create"),
    )
