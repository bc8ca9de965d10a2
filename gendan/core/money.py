"""Money: one rounding rule for every amount Gendan computes.

Amounts are rounded half up (四舍五入) to the cent, as Chinese invoices (发票) and most
accounting does: 0.005 → 0.01. Every computed amount — a quote line, a weighted deal, a
column total, a report figure — goes through `cents` (or `rounded` for another precision), so
a total on the board and the same total on a report never differ by a cent.
"""

from decimal import ROUND_HALF_UP, Decimal

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
