"""Moving a deal from the board or its page, and the dialog that asks for what a stage needs:
its required fields (built-in and custom), the key actions of the stage the deal leaves, and
a lost reason."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from gendan.core.errors import DomainError, ValidationFailed
from gendan.core.money import cents
from gendan.customers.selectors import contact_choices
from gendan.deals import checklist, rules, selectors, services
from gendan.fields.choices import RecordType
from gendan.fields.display import label
from gendan.fields.selectors import definitions, may_edit
from gendan.ui.dialogs import form_field_name
from gendan.ui.templatetags.gendan import total_money
from gendan.web.deals.forms import MoveFieldsForm

# Fields the move dialog can ask for when the target stage requires them.
ASKABLE = ("amount", "expected_close_date", "contact_id", "lost_reason")
CUSTOM = "custom."
CHECKLIST = "checklist."


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _move_data(request) -> tuple[dict, dict]:
    """Parse the built-in fields a move may carry; return (data, errors)."""
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


def _custom_form(request, deal, keys: list[str], *, bound: bool) -> MoveFieldsForm | None:
    """The asked custom fields the user may change, as a form (None when there are none)."""
    editable = [f.key for f in definitions(RecordType.DEAL) if f.key in keys]
    editable = [k for k in editable if _may_edit(request.user, k)]
    if not editable:
        return None
    return MoveFieldsForm(
        request.POST if bound else None, user=request.user, custom=deal.custom, only=editable
    )


def _may_edit(user, key: str) -> bool:
    field = next((f for f in definitions(RecordType.DEAL) if f.key == key), None)
    return field is not None and may_edit(user, field)


def _custom_data(request, deal, data: dict, errors: dict) -> MoveFieldsForm | None:
    """Add the custom values the dialog sent (the fields it asked for) to `data`."""
    keys = [a[len(CUSTOM) :] for a in request.POST.getlist("ask") if a.startswith(CUSTOM)]
    form = _custom_form(request, deal, keys, bound=True) if keys else None
    if form is None:
        return None
    if form.is_valid():
        data["custom"] = form.service_data()["custom"]
    else:
        for name, messages in form.errors.items():
            errors[f"{CUSTOM}{name[3:]}"] = messages[0]
    return form


def _asked(request, deal, exc: ValidationFailed) -> dict | None:
    """What the dialog asks for, when everything the move lacks can be given there: what the
    service named, and what the dialog asked for before (so a second try shows it all)."""
    names = list(exc.errors)
    if not names or not all(
        n in ASKABLE or n.startswith(CUSTOM) or n.startswith(CHECKLIST) for n in names
    ):
        return None
    names += [a for a in request.POST.getlist("ask") if a not in names]
    items = {i["id"]: i for i in rules.mandatory_items(deal.stage)}
    return {
        "fields": [n for n in ASKABLE if n in names],
        "custom": [n[len(CUSTOM) :] for n in names if n.startswith(CUSTOM)],
        "checklist": [
            {"id": i, "text": items[i]["text"]}
            for n in names
            if n.startswith(CHECKLIST) and (i := n[len(CHECKLIST) :]) in items
        ],
    }


def _locked_fields(user, keys: list[str]) -> list[str]:
    """The labels of the asked custom fields this user may not fill in."""
    fields = {f.key: f for f in definitions(RecordType.DEAL)}
    return [label(fields[k]) for k in keys if k in fields and not may_edit(user, fields[k])]


def _dialog(request, deal, stage_id, exc: ValidationFailed, asked: dict, form):
    stage = selectors.stage_get(actor=request.user, stage_id=stage_id)
    errors = {k: str(v) for k, v in exc.errors.items()} if request.htmx else {}
    if form is None:
        form = _custom_form(request, deal, asked["custom"], bound=False)
    elif request.htmx:
        for field, message in exc.errors.items():
            name = form_field_name(form, field)
            if name and name not in form.errors:
                form.add_error(name, str(message))
    context = {
        "deal": deal,
        "stage": stage,
        "asked": asked["fields"],
        "asked_custom": asked["custom"],
        "custom_form": form,
        "locked": _locked_fields(request.user, asked["custom"]),
        "unticked": asked["checklist"],
        "ticks": request.POST.getlist("tick"),
        "errors": errors,
        "values": request.POST,
        "contacts": contact_choices(actor=request.user, customer_id=deal.customer_id),
    }
    status = 200 if request.htmx else 422
    return render(request, "deals/_move_dialog.html", context, status=status)


def _totals(actor, pipeline_id: int) -> list[dict]:
    board = selectors.deal_board(actor=actor, pipeline_id=pipeline_id, limit=1)
    return [
        {"stage_id": c["stage_id"], "count": c["count"], "amount": total_money(c)}
        for c in board["columns"]
    ]


def _str(errors: dict) -> dict:
    return {field: str(message) for field, message in errors.items()}


@require_POST
@login_required
def deal_move(request, deal_id: int):
    """Move a deal; when the stage needs more, answer 422 with a form asking for just that."""
    stage_id = _int(request.POST.get("stage_id"))
    lost_reason = (request.POST.get("lost_reason") or "").strip() or None
    data, errors = _move_data(request)
    deal, form = None, None
    try:
        deal = services.deal_visible(actor=request.user, deal_id=deal_id)
        form = _custom_data(request, deal, data, errors)
        if errors:
            raise ValidationFailed(errors=errors)
        deal = checklist.deal_advance(
            actor=request.user,
            deal_id=deal_id,
            stage_id=stage_id,
            data=data,
            ticks=request.POST.getlist("tick"),
            lost_reason=lost_reason,
        )
    except ValidationFailed as exc:
        asked = _asked(request, deal, exc) if deal is not None else None
        if deal is None or asked is None:
            return JsonResponse({"detail": str(exc.detail), "errors": _str(exc.errors)}, status=422)
        return _dialog(request, deal, stage_id, exc, asked, form)
    except DomainError as exc:
        return JsonResponse({"detail": str(exc.detail)}, status=exc.status)
    payload = {
        "deal_id": deal.pk,
        "stage_id": deal.stage_id,
        "columns": _totals(request.user, deal.pipeline_id),
    }
    if request.htmx:
        # the dialog may have given what the card shows (the amount, a card field): the board
        # puts the card drawn again in the new column
        card = selectors.deal_card(actor=request.user, deal=deal)
        context = {"column": {"cards": [card]}, "request": request}  # not the page's context
        payload["card"] = render_to_string("deals/_cards.html", context).strip()
        return trigger_client_event(HttpResponse(status=204), "dealMoved", payload)
    return JsonResponse(payload)
