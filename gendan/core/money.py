"""Money: one rounding rule for every amount Gendan computes.

Amounts are rounded half up (四舍五入) to the cent, as Chinese invoices (发票) and most
accounting does: 0.005 → 0.01. Every computed amount — a quote line, a weighted deal, a
column total, a report figure — goes through `cents` (or `rounded` for another precision), so
a total on the board and the same total on a report never differ by a cent.

Totals never add currencies: a sum of amounts is taken in the reporting currency
(`GENDAN_CURRENCY`, CNY unless set) with `currency_sum`; amounts in other currencies are
shown beside it, one figure per currency, never added in.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, Sum

CENT = Decimal("0.01")


def rounded(value, exponent: Decimal | str) -> Decimal:
    """`value` rounded half up to `exponent` ("0.01", "0.1", "1"). A float (SQLite may hand
    sums back as floats) is read as it prints: 2.675 is 2.675, not its binary neighbour."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value or 0).quantize(Decimal(exponent), rounding=ROUND_HALF_UP)


def cents(value) -> Decimal:
    """`value` rounded half up to the cent; None and "" count as zero."""
    return rounded(value, CENT)


def reporting_currency() -> str:
    """The currency of every total and report figure (ISO code, e.g. "CNY")."""
    return settings.GENDAN_CURRENCY


def currency_sum(expression, *, currency_path: str = "currency", filter: Q | None = None, **kw):
    """`Sum(expression)` over the rows in the reporting currency only; `currency_path` is the
    ORM path to the row's currency ("contract__currency" for an installment or a payment)."""
    only = Q(**{currency_path: reporting_currency()})
    return Sum(expression, filter=only if filter is None else filter & only, **kw)
