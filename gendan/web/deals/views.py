"""Pipeline board (看板) pages: the board, one column's next cards, and moving a deal."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from gendan.core.errors import DomainError, ValidationFailed
from gendan.core.money import cents
from gendan.core.risk import RiskLevel
from gendan.customers.selectors import contact_choices
from gendan.deals import selectors, services
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
from gendan.ui.templatetags.gendan import local_name, total_money
from gendan.web.deals.forms import DealCreateForm, DealForm

# Fields the move dialog can ask for when the target stage requires them.
ASKABLE = ("amount", "expected_close_date", "contact_id", "lost_reason")


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


def _move_data(request) -> tuple[dict, dict]:
    """Parse the fields a move may carry; return (data, errors)."""
    data, errors = {}, {}
    post = request.POST
    if post.get("amount", "") != "":
        try:
            data["amount"] = cents(Decimal(post["amount"]))
            if data["amount"] < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["amount"] = _("Enter a positive amount.")
    if post.get("expected_close_date"):
        value = parse_date(post["expected_close_date"])
        if value is None:
            errors["expected_close_date"] = _("Enter a valid date.")
        else:
            data["expected_close_date"] = value
    if post.get("contact_id"):
        data["contact_id"] = _int(post["contact_id"])
    return data, errors


def _totals(actor, pipeline_id: int) -> list[dict]:
    board = selectors.deal_board(actor=actor, pipeline_id=pipeline_id, limit=1)
    return [
        {"stage_id": c["stage_id"], "count": c["count"], "amount": total_money(c)}
        for c in board["columns"]
    ]


@require_POST
@login_required
def deal_move(request, deal_id: int):
    """Move a deal; when the stage needs more, answer 422 with a form asking for just that."""
    stage_id = _int(request.POST.get("stage_id"))
    lost_reason = (request.POST.get("lost_reason") or "").strip() or None
    data, errors = _move_data(request)
    deal = None
    try:
        deal = services.deal_visible(actor=request.user, deal_id=deal_id)
        if errors:
            raise ValidationFailed(errors=errors)
        if data:
            deal = services.deal_update(
                actor=request.user,
                deal_id=deal_id,
                data={**data, "stage_id": stage_id, "lost_reason": lost_reason},
            )
        else:
            deal = services.deal_move(
                actor=request.user, deal_id=deal_id, stage_id=stage_id, lost_reason=lost_reason
            )
    except ValidationFailed as exc:
        asked = [f for f in exc.errors if f in ASKABLE]
        if deal is None or not asked or len(asked) != len(exc.errors):
            return JsonResponse({"detail": str(exc.detail), "errors": _str(exc.errors)}, status=422)
        stage = selectors.stage_get(actor=request.user, stage_id=stage_id)
        context = {
            "deal": deal,
            "stage": stage,
            "asked": asked,
            "errors": _str(exc.errors) if request.htmx else {},
            "values": request.POST,
            "contacts": contact_choices(actor=request.user, customer_id=deal.customer_id),
        }
        status = 200 if request.htmx else 422
        return render(request, "deals/_move_dialog.html", context, status=status)
    except DomainError as exc:
        return JsonResponse({"detail": str(exc.detail)}, status=exc.status)
    payload = {
        "deal_id": deal.pk,
        "stage_id": deal.stage_id,
        "columns": _totals(request.user, deal.pipeline_id),
    }
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "dealMoved", payload)
    return JsonResponse(payload)


def _str(errors: dict) -> dict:
    return {field: str(message) for field, message in errors.items()}


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
