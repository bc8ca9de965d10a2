"""Quote arithmetic: one pure function, Decimal throughout, every amount rounded half up to cents.

Per line: gross = quantity × unit price, discount = gross × discount % / 100, line total =
gross − discount. Per quote: subtotal = Σ gross, discount total = Σ discount, tax = (subtotal −
discount total) × tax rate / 100, total = subtotal − discount total + tax. Each product and
percentage is rounded to the cent once, where it is computed, so the printed figures always add
up: total == Σ line totals + tax.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _

from gendan.core.money import cents

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def to_cents(value: Decimal) -> Decimal:
    return cents(value)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal = Decimal(0)


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal
    discount_amount: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class QuoteAmounts:
    lines: tuple[LineAmounts, ...]
    subtotal: Decimal
    discount_total: Decimal
    tax: Decimal
    total: Decimal


def line_amounts(line: LineInput) -> LineAmounts:
    with localcontext() as ctx:
        ctx.prec = 60  # exact for every quantity × price the columns can hold
        gross = to_cents(Decimal(line.quantity) * Decimal(line.unit_price))
        discount = to_cents(gross * Decimal(line.discount_pct) / HUNDRED)
    return LineAmounts(gross=gross, discount_amount=discount, line_total=gross - discount)


def quote_amounts(lines: Iterable[LineInput], tax_rate: Decimal) -> QuoteAmounts:
    """The amounts of each line and of the quote; inputs are non-negative (validated before)."""
    computed = tuple(line_amounts(line) for line in lines)
    subtotal = sum((a.gross for a in computed), ZERO)
    discount_total = sum((a.discount_amount for a in computed), ZERO)
    with localcontext() as ctx:
        ctx.prec = 60
        tax = to_cents((subtotal - discount_total) * Decimal(tax_rate) / HUNDRED)
    return QuoteAmounts(
        lines=computed,
        subtotal=subtotal,
        discount_total=discount_total,
        tax=tax,
        total=subtotal - discount_total + tax,
    )


# Presentation, shared by the PDF and the printable page --------------------------------------


def format_money(value: Decimal | None) -> str:
    """12345.6 → "12,345.60" (thousands separators, two places)."""
    return f"{to_cents(Decimal(value or 0)):,.2f}"


def format_number(value: Decimal | None, places: int = 3) -> str:
    """A quantity or a percentage without trailing zeros: 2.000 → "2", 12.50 → "12.5"."""
    text = f"{Decimal(value or 0):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# Input checks, shared by the product and quote services --------------------------------------

MONEY_MAX = Decimal("99999999999999.99")  # money columns hold 16 digits, 2 after the point


def decimal_error(
    value: Decimal,
    *,
    places: int,
    minimum: Decimal = Decimal(0),
    maximum: Decimal = MONEY_MAX,
    above_minimum: bool = False,
    messages: dict | None = None,
) -> str | None:
    """Why `value` is not acceptable, or None. `messages` overrides "low" and "high"."""
    messages = messages or {}
    if not Decimal(value).is_finite():
        return _("Enter a number.")
    if above_minimum and value <= minimum:
        return messages.get("low") or _("Must be greater than %(min)s.") % {"min": minimum}
    if value < minimum:
        return messages.get("low") or _("Must be %(min)s or more.") % {"min": minimum}
    if value > maximum:
        return messages.get("high") or _("Must be at most %(max)s.") % {"max": maximum}
    if value != value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        return _("Use at most %(places)d decimal places.") % {"places": places}
    return None
