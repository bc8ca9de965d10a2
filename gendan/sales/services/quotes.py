"""Writes of quotes (报价单): create and edit drafts, send, accept, reject, expire.

Amounts are never taken from the client: every line and total is computed here with
`gendan.sales.pricing.quote_amounts`. Each change of status writes an event on the deal's
timeline; accepting a quote sets the deal's amount (and currency) to the quote's.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.models import TimelineEvent
from gendan.activities.timeline import event_build
from gendan.core.errors import Conflict, ValidationFailed
from gendan.core.numbering import next_number
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.deals import services as deal_services
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal
from gendan.sales.choices import QuoteStatus
from gendan.sales.models import Product, Quote, QuoteLine
from gendan.sales.pricing import MONEY_MAX, LineInput, decimal_error, quote_amounts

QUANTITY_MAX = Decimal("99999999999.999")  # the quantity column: 14 digits, 3 after the point
HEADER_FIELDS = ("currency", "tax_rate", "valid_until", "notes")


# Checks -------------------------------------------------------------------------------------


def _header_errors(data: dict, *, today: date) -> dict:
    errors = {}
    if data.get("tax_rate") is not None:
        error = decimal_error(
            data["tax_rate"],
            places=2,
            maximum=Decimal(100),
            messages={"high": _("The tax rate is a percentage between 0 and 100.")},
        )
        if error:
            errors["tax_rate"] = error
    if data.get("valid_until") is not None and data["valid_until"] < today:
        errors["valid_until"] = _("The validity date cannot be in the past.")
    return errors


def _line_errors(line: dict, product: Product | None, *, currency: str) -> dict:
    """Errors of one line, keyed by field; the line dict is completed in place."""
    errors = {}
    if line.get("product_id") is not None and product is None:
        errors["product_id"] = _("No such product, or it is no longer sold.")
    description = (line.get("description") or "").strip() or (product.name if product else "")
    if not description and "product_id" not in errors:
        errors["description"] = _("Describe the item or choose a product.")
    line["description"] = description
    line["unit"] = (line.get("unit") or "").strip() or (product.unit if product else "")

    error = decimal_error(
        line["quantity"],
        places=3,
        maximum=QUANTITY_MAX,
        above_minimum=True,
        messages={"low": _("The quantity must be greater than 0.")},
    )
    if error:
        errors["quantity"] = error

    if line.get("unit_price") is None and product is not None:
        if product.currency != currency:
            errors["unit_price"] = _(
                "The product is priced in %(product)s; give a unit price in %(quote)s."
            ) % {"product": product.currency, "quote": currency}
        line["unit_price"] = product.list_price
    if line.get("unit_price") is None:
        errors.setdefault("unit_price", _("Give a unit price or choose a product."))
    elif "unit_price" not in errors:
        error = decimal_error(
            line["unit_price"],
            places=2,
            messages={"low": _("The unit price cannot be negative.")},
        )
        if error:
            errors["unit_price"] = error

    error = decimal_error(
        line.get("discount_pct") or Decimal(0),
        places=2,
        maximum=Decimal(100),
        messages={
            "low": _("The discount is a percentage between 0 and 100."),
            "high": _("The discount is a percentage between 0 and 100."),
        },
    )
    if error:
        errors["discount_pct"] = error
    line["discount_pct"] = line.get("discount_pct") or Decimal(0)
    return errors


def _build_lines(
    lines: list[dict], *, currency: str, allowed_inactive: frozenset[int] = frozenset()
) -> tuple[list[QuoteLine], dict]:
    """Unsaved lines and the errors found, keyed `lines.<index>.<field>`.

    An inactive product is refused, except on a line that already carried it (editing a draft
    does not force the sales rep to drop a product that was retired since).
    """
    ids = {line["product_id"] for line in lines if line.get("product_id") is not None}
    products = {
        p.pk: p for p in Product.objects.filter(pk__in=ids) if p.active or p.pk in allowed_inactive
    }
    built, errors = [], {}
    for index, raw in enumerate(lines):
        line = dict(raw)
        product = products.get(line.get("product_id"))
        for field, message in _line_errors(line, product, currency=currency).items():
            errors[f"lines.{index}.{field}"] = message
        built.append(
            QuoteLine(
                position=index + 1,
                product=product,
                description=line["description"][:500],
                unit=line["unit"][:32],
                quantity=line["quantity"],
                unit_price=line["unit_price"],
                discount_pct=line["discount_pct"],
            )
        )
    return built, errors


def _price(quote: Quote, lines: list[QuoteLine]) -> dict:
    """Compute every amount onto the lines; answer the quote's new totals, or raise 422."""
    amounts = quote_amounts(
        (LineInput(line.quantity, line.unit_price, line.discount_pct) for line in lines),
        quote.tax_rate,
    )
    errors = {}
    for index, (line, computed) in enumerate(zip(lines, amounts.lines, strict=True)):
        line.discount_amount = computed.discount_amount
        line.line_total = computed.line_total
        if computed.gross > MONEY_MAX:
            errors[f"lines.{index}.quantity"] = _("The amount of this line is too large.")
    if not errors and amounts.total > MONEY_MAX:
        errors["lines"] = _("The total of this quote is too large.")
    if errors:
        raise ValidationFailed(errors=errors)
    return {
        "subtotal": amounts.subtotal,
        "discount_total": amounts.discount_total,
        "tax": amounts.tax,
        "total": amounts.total,
    }


# Events -------------------------------------------------------------------------------------


def _event(quote: Quote, kind: str, *, actor, at=None) -> TimelineEvent:
    """The deal's timeline entry for a step of one of its quotes."""
    return event_build(
        quote.deal,
        kind,
        actor=actor,
        at=at,
        data={
            "quote_id": quote.pk,
            "number": quote.number,
            "total": quote.total,
            "currency": quote.currency,
        },
    )


# Writes -------------------------------------------------------------------------------------


def _visible_deal(actor, deal_id: int) -> Deal:
    deal = Deal.objects.visible_to(actor).filter(pk=deal_id).first()
    if deal is None:
        raise ValidationFailed(errors={"deal_id": _("No such deal.")})
    if deal.status == DealStatus.LOST:
        raise Conflict(_("A lost deal cannot be quoted; reopen it first."))
    return deal


@transaction.atomic
def quote_create(*, actor, data: dict) -> Quote:
    data = dict(data)
    deal = _visible_deal(actor, data["deal_id"])
    currency = data.get("currency") or deal.currency
    tax_rate = data.get("tax_rate") if data.get("tax_rate") is not None else Decimal(0)
    errors = _header_errors({**data, "tax_rate": tax_rate}, today=timezone.localdate())
    lines, line_errors = _build_lines(data.get("lines") or [], currency=currency)
    errors.update(line_errors)
    if errors:
        raise ValidationFailed(errors=errors)
    quote = Quote(
        deal=deal,
        currency=currency,
        tax_rate=tax_rate,
        valid_until=data.get("valid_until"),
        notes=data.get("notes") or "",
        created_by=actor,
    )
    for field, value in _price(quote, lines).items():
        setattr(quote, field, value)
    quote.number = next_number("Q")
    quote.save()
    for line in lines:
        line.quote = quote
    QuoteLine.objects.bulk_create(lines)
    _event(quote, EventKind.QUOTE_CREATED, actor=actor).save()
    return quote


def _lock(actor, quote_id: int, version: int | None) -> Quote:
    return lock_for_update(
        Quote.objects.visible_to(actor).select_related("deal"), quote_id, expected_version=version
    )


def _require_status(quote: Quote, status: str, message: str) -> None:
    if quote.status != status:
        raise Conflict(message, extra={"status": quote.status})


@transaction.atomic
def quote_update(*, actor, quote_id: int, data: dict, version: int | None = None) -> Quote:
    """Change a draft; `lines`, when given, replaces all its lines. Totals are recomputed."""
    quote = _lock(actor, quote_id, version)
    _require_status(quote, QuoteStatus.DRAFT, _("Only a draft quote can be changed."))
    data = dict(data)
    new_lines = data.pop("lines", ...)
    if new_lines is None:
        raise ValidationFailed(errors={"lines": _("This field cannot be empty.")})
    header = {key: value for key, value in data.items() if key in HEADER_FIELDS}
    errors = _header_errors(header, today=timezone.localdate())
    currency = header.get("currency") or quote.currency
    lines = None
    if new_lines is not ...:
        existing = frozenset(
            quote.lines.filter(product__isnull=False).values_list("product_id", flat=True)
        )
        lines, line_errors = _build_lines(new_lines, currency=currency, allowed_inactive=existing)
        errors.update(line_errors)
    if errors:
        raise ValidationFailed(errors=errors)
    changes = apply_changes(quote, header)
    if lines is not None or "tax_rate" in changes:
        priced = lines if lines is not None else list(quote.lines.all())
        changes.update(apply_changes(quote, _price(quote, priced)))
        if lines is not None:
            quote.lines.all().delete()
            for line in lines:
                line.quote = quote
            QuoteLine.objects.bulk_create(lines)
        else:
            QuoteLine.objects.bulk_update(priced, ["discount_amount", "line_total"])
    if lines is not None and not changes:
        # New lines with the same totals still make a new version of the quote.
        quote.version += 1
        quote.save(update_fields=["version", "updated_at"])
    else:
        save_changes(quote, changes)
    return quote


@transaction.atomic
def quote_delete(*, actor, quote_id: int) -> None:
    quote = _lock(actor, quote_id, None)
    _require_status(
        quote, QuoteStatus.DRAFT, _("Only a draft quote can be deleted; a sent one stays on file.")
    )
    quote.delete()


def _set_status(quote: Quote, status: str, *, now, **fields) -> None:
    quote.status = status
    for key, value in fields.items():
        setattr(quote, key, value)
    quote.version += 1
    quote.updated_at = now
    quote.save(update_fields=["status", *fields, "version", "updated_at"])


@transaction.atomic
def quote_send(*, actor, quote_id: int, version: int | None = None) -> Quote:
    """Mark a draft as sent to the customer; from now on it can only be accepted or rejected."""
    quote = _lock(actor, quote_id, version)
    _require_status(quote, QuoteStatus.DRAFT, _("Only a draft quote can be sent."))
    errors = {}
    if not quote.lines.exists():
        errors["lines"] = _("Add at least one line before sending the quote.")
    if quote.valid_until and quote.valid_until < timezone.localdate():
        errors["valid_until"] = _("The validity date has passed; change it before sending.")
    if errors:
        raise ValidationFailed(errors=errors)
    now = timezone.now()
    _set_status(quote, QuoteStatus.SENT, now=now, sent_at=now)
    _event(quote, EventKind.QUOTE_SENT, actor=actor, at=now).save()
    return quote


def quote_accept(*, actor, quote_id: int, version: int | None = None) -> Quote:
    """The customer accepted: the deal's amount and currency become the quote's.

    A quote whose validity date has passed is refused (409) and marked expired; that change is
    committed even though the acceptance is refused.
    """
    quote, expired = _accept_or_expire(actor=actor, quote_id=quote_id, version=version)
    if expired:
        raise Conflict(
            _("This quote expired on %(date)s and can no longer be accepted.")
            % {"date": date_format(quote.valid_until, "DATE_FORMAT")},
            extra={"status": quote.status},
        )
    return quote


@transaction.atomic
def _accept_or_expire(*, actor, quote_id: int, version: int | None) -> tuple[Quote, bool]:
    quote = _lock(actor, quote_id, version)
    _require_status(quote, QuoteStatus.SENT, _("Only a sent quote can be accepted."))
    now = timezone.now()
    if quote.valid_until and quote.valid_until < timezone.localdate():
        _set_status(quote, QuoteStatus.EXPIRED, now=now)
        _event(quote, EventKind.QUOTE_EXPIRED, actor=actor, at=now).save()
        return quote, True
    _set_status(quote, QuoteStatus.ACCEPTED, now=now, decided_at=now)
    _event(quote, EventKind.QUOTE_ACCEPTED, actor=actor, at=now).save()
    deal_services.deal_update(
        actor=actor,
        deal_id=quote.deal_id,
        data={"amount": quote.total, "currency": quote.currency},
    )
    return quote, False


@transaction.atomic
def quote_reject(*, actor, quote_id: int, version: int | None = None) -> Quote:
    quote = _lock(actor, quote_id, version)
    _require_status(quote, QuoteStatus.SENT, _("Only a sent quote can be rejected."))
    now = timezone.now()
    _set_status(quote, QuoteStatus.REJECTED, now=now, decided_at=now)
    _event(quote, EventKind.QUOTE_REJECTED, actor=actor, at=now).save()
    return quote


@transaction.atomic
def quote_expire_due(*, today: date | None = None) -> int:
    """Mark every sent quote whose last valid day is before `today` as expired; idempotent.

    Run by the worker (`gendan.sales.tasks`); answers how many quotes expired.
    """
    today = today or timezone.localdate()
    quotes = list(
        Quote.objects.select_for_update(of=("self",))
        .select_related("deal")
        .filter(status=QuoteStatus.SENT, valid_until__lt=today)
        .order_by("id")
    )
    if not quotes:
        return 0
    now = timezone.now()
    Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(
        status=QuoteStatus.EXPIRED, version=F("version") + 1, updated_at=now
    )
    TimelineEvent.objects.bulk_create(
        _event(quote, EventKind.QUOTE_EXPIRED, actor=None, at=now) for quote in quotes
    )
    return len(quotes)
