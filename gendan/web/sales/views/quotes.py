"""Quote pages (报价单): draft a quote for a deal with its lines, edit a draft, send, accept or
reject it, and the printable page. Every amount comes from the server (`sales.pricing`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.core.errors import NotFound, ValidationFailed
from gendan.deals import selectors as deal_selectors
from gendan.sales.choices import QuoteStatus
from gendan.sales.documents import quote_document
from gendan.sales.pricing import format_number
from gendan.sales.schemas.quotes import DocumentLanguage
from gendan.sales.selectors import products as product_selectors
from gendan.sales.selectors import quotes as quote_selectors
from gendan.sales.services import quotes as quote_services
from gendan.ui.dialogs import run_service
from gendan.ui.lists import int_or_none, safe_next
from gendan.web.sales.quote_forms import (
    QuoteForm,
    QuoteLineFormSet,
    blank_row,
    fill_from_product,
    preview_amounts,
    read_rows,
    rows_data,
    rows_from_quote,
)
from gendan.web.sales.views.common import run_or_flash


@require_GET
@login_required
def quote_print(request: HttpRequest, quote_id: int):
    """An A4 page of the quote to print or save as PDF; 404 outside the reader's scope.

    `?lang=en` or `?lang=zh-hans` prints it in that language instead of the reader's.
    """
    try:
        quote = quote_selectors.quote_get(actor=request.user, quote_id=quote_id)
    except NotFound as exc:
        raise Http404 from exc
    lang = request.GET.get("lang")
    languages = {choice.value for choice in DocumentLanguage}
    language = lang if lang in languages else translation.get_language()
    with translation.override(language):
        return render(
            request,
            "sales/quote_print.html",
            {"quote": quote, "doc": quote_document(quote), "language": language},
        )


# The quote editor ---------------------------------------------------------------------------


def _products(user, quote=None) -> list:
    """Products a line may use: the active ones, and any retired one a draft already has."""
    products = list(product_selectors.product_list(actor=user, filters={"active": True}))
    if quote is not None:
        known = {p.pk for p in products}
        products += [
            line.product
            for line in quote.lines.all()
            if line.product_id and line.product_id not in known
        ]
    return products


def _lines_context(lines, rows: list[dict], products: list, *, tax_rate, currency) -> dict:
    per_row, totals, rate = preview_amounts(rows, {p.pk: p for p in products}, tax_rate)
    return {
        "lines": lines,
        "line_rows": list(zip(lines.forms, per_row, strict=False)),
        "totals": totals,
        "tax_rate": format_number(rate, places=2),
        "currency": currency or "CNY",
    }


def _split_line_errors(lines, origin: list[int], call):
    """Put the service's `lines.<n>.<field>` errors on the line forms they came from."""

    def run():
        try:
            return call()
        except ValidationFailed as exc:
            rest = {}
            for key, message in exc.errors.items():
                parts = key.split(".")
                if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
                    index = int(parts[1])
                    if index < len(origin):
                        form = lines.forms[origin[index]]
                        form.add_error(parts[2] if parts[2] in form.fields else None, str(message))
                        continue
                rest[key] = message
            raise ValidationFailed(exc.detail, errors=rest, extra=exc.extra) from exc

    return run


def _editor(request, *, deal, quote=None):
    """The new-quote page and the edit-draft page: same form, different service."""
    products = _products(request.user, quote)
    line_kwargs = {"prefix": "lines", "form_kwargs": {"products": products}}
    if request.method == "POST":
        form = QuoteForm(request.POST)
        lines = QuoteLineFormSet(request.POST, **line_kwargs)
        rows = read_rows(request.POST)
        if form.is_valid() and lines.is_valid():
            line_data, origin = lines.service_lines()
            data = {**form.header_data(), "lines": line_data}

            def save():
                if quote is None:
                    return quote_services.quote_create(
                        actor=request.user, data={**data, "deal_id": deal.pk}
                    )
                return quote_services.quote_update(
                    actor=request.user,
                    quote_id=quote.pk,
                    data=data,
                    version=form.cleaned_data.get("version"),
                )

            saved = run_service(form, _split_line_errors(lines, origin, save))
            if saved is not None:
                text = _("Quote %(number)s saved.") if quote else _("Quote %(number)s drafted.")
                messages.success(request, text % {"number": saved.number})
                return redirect(reverse("deals:detail", args=[deal.pk]) + "#quotes")
        tax_rate, currency = request.POST.get("tax_rate"), request.POST.get("currency")
    else:
        if quote is None:
            form = QuoteForm(initial={"currency": deal.currency})
            rows = [blank_row()]
        else:
            form = QuoteForm(
                initial={
                    "version": quote.version,
                    "valid_until": quote.valid_until,
                    "tax_rate": quote.tax_rate,
                    "currency": quote.currency,
                    "notes": quote.notes,
                }
            )
            rows = rows_from_quote(quote) or [blank_row()]
        lines = QuoteLineFormSet(initial=rows, **line_kwargs)
        tax_rate, currency = form["tax_rate"].value(), form["currency"].value()
    context = _lines_context(lines, rows, products, tax_rate=tax_rate, currency=currency)
    return render(
        request,
        "sales/quote_form.html",
        {"form": form, "deal": deal, "quote": quote, **context},
    )


@require_http_methods(["GET", "POST"])
@login_required
def quote_create(request):
    """`/quotes/new/?deal_id=` — a draft quote for a deal the reader may see."""
    deal_id = int_or_none(request.GET.get("deal_id")) or 0
    deal = deal_selectors.deal_get(actor=request.user, deal_id=deal_id)
    return _editor(request, deal=deal)


@require_http_methods(["GET", "POST"])
@login_required
def quote_edit(request, quote_id: int):
    quote = quote_selectors.quote_get(actor=request.user, quote_id=quote_id)
    if quote.status != QuoteStatus.DRAFT:
        messages.warning(request, _("Only a draft quote can be changed."))
        return redirect(reverse("deals:detail", args=[quote.deal_id]) + "#quotes")
    return _editor(request, deal=quote.deal, quote=quote)


@require_POST
@login_required
def quote_lines(request):
    """Redraw the lines as the user edits them: add or remove a row, take a chosen product's
    name and price, or (mode `totals`) just the amounts, computed as the server will."""
    quote = None
    quote_id = int_or_none(request.POST.get("quote_id"))
    if quote_id:
        quote = quote_selectors.quote_get(actor=request.user, quote_id=quote_id)
    products = _products(request.user, quote)
    rows = read_rows(request.POST)
    mode, row = request.POST.get("mode"), int_or_none(request.POST.get("row"))
    if mode == "add":
        rows.append(blank_row())
    elif mode == "remove" and row is not None and 0 <= row < len(rows):
        rows.pop(row)
    elif mode == "fill" and row is not None and 0 <= row < len(rows):
        rows[row] = fill_from_product(rows[row], {p.pk: p for p in products})
    rows = rows or [blank_row()]
    lines = QuoteLineFormSet(rows_data(rows), prefix="lines", form_kwargs={"products": products})
    context = _lines_context(
        lines,
        rows,
        products,
        tax_rate=request.POST.get("tax_rate"),
        currency=request.POST.get("currency"),
    )
    if mode == "totals":
        return render(request, "sales/_quote_totals.html", {**context, "oob": True})
    return render(request, "sales/_quote_lines.html", {**context, "quote": quote})


# Quote actions ------------------------------------------------------------------------------


def _quote_action(request, service, quote_id: int, done: str):
    quote = run_or_flash(request, lambda: service(actor=request.user, quote_id=quote_id))
    if quote is None:
        return redirect(safe_next(request, reverse("deals:list")))
    messages.success(request, done % {"number": quote.number})
    return redirect(safe_next(request, reverse("deals:detail", args=[quote.deal_id]) + "#quotes"))


@require_POST
@login_required
def quote_send(request, quote_id: int):
    return _quote_action(
        request, quote_services.quote_send, quote_id, _("Quote %(number)s marked as sent.")
    )


@require_POST
@login_required
def quote_accept(request, quote_id: int):
    return _quote_action(
        request,
        quote_services.quote_accept,
        quote_id,
        _("Quote %(number)s accepted; the deal's amount is now its total."),
    )


@require_POST
@login_required
def quote_reject(request, quote_id: int):
    return _quote_action(
        request, quote_services.quote_reject, quote_id, _("Quote %(number)s marked as rejected.")
    )
