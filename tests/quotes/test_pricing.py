"""The quote arithmetic: examples worked by hand, and properties that hold for any input."""

from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from gendan.sales.pricing import (
    LineInput,
    decimal_error,
    format_money,
    format_number,
    line_amounts,
    quote_amounts,
)

D = Decimal


def test_a_line_rounds_each_step_half_up_to_the_cent():
    # 3 × 0.335 = 1.005 → 1.01; 15% of 1.01 = 0.1515 → 0.15
    amounts = line_amounts(LineInput(D("3"), D("0.335"), D("15")))
    assert (amounts.gross, amounts.discount_amount, amounts.line_total) == (
        D("1.01"),
        D("0.15"),
        D("0.86"),
    )


def test_half_a_cent_rounds_up_not_to_even():
    # 0.125 and 0.135 both round away from zero (banker's rounding would give 0.12 and 0.14)
    assert line_amounts(LineInput(D("1"), D("0.125"))).gross == D("0.13")
    assert line_amounts(LineInput(D("0.5"), D("0.25"))).gross == D("0.13")
    assert quote_amounts([LineInput(D("1"), D("0.50"))], D("25")).tax == D("0.13")


def test_a_quote_with_discounts_and_tax():
    amounts = quote_amounts(
        [
            LineInput(D("10"), D("1200.00"), D("12.5")),
            LineInput(D("2"), D("3500.00")),
            LineInput(D("3"), D("333.33"), D("7.5")),
        ],
        D("13"),
    )
    assert [a.line_total for a in amounts.lines] == [D("10500.00"), D("7000.00"), D("924.99")]
    assert (amounts.subtotal, amounts.discount_total, amounts.tax, amounts.total) == (
        D("19999.99"),
        D("1575.00"),
        D("2395.25"),
        D("20820.24"),
    )


def test_an_empty_quote_is_zero():
    amounts = quote_amounts([], D("13"))
    assert (amounts.subtotal, amounts.discount_total, amounts.tax, amounts.total) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )


def test_products_beyond_28_digits_are_still_exact():
    # (the default decimal context keeps 28 significant digits; this product has 30)
    quantity, price = D("99999999999.999"), D("99999999999999.99")
    with localcontext() as ctx:
        ctx.prec = 100
        exact = (quantity * price).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert line_amounts(LineInput(quantity, price)).gross == exact


def test_formatting():
    assert format_money(D("1234567.5")) == "1,234,567.50"
    assert format_money(D("0.005")) == "0.01"
    assert format_money(None) == "0.00"
    assert format_number(D("2.000")) == "2"
    assert format_number(D("1234.500")) == "1,234.5"
    assert format_number(D("12.50"), 2) == "12.5"
    assert format_number(D("100")) == "100"


def test_decimal_errors():
    assert decimal_error(D("1.25"), places=2) is None
    assert decimal_error(D("1.255"), places=2)
    assert decimal_error(D("-1"), places=2)
    assert decimal_error(D("0"), places=2, above_minimum=True)
    assert decimal_error(D("101"), places=2, maximum=D(100))
    assert decimal_error(D("NaN"), places=2)
    assert decimal_error(D("Infinity"), places=2)
    assert decimal_error(D("1E+20"), places=2)


quantities = st.decimals(min_value=D("0.001"), max_value=D("100000"), places=3)
prices = st.decimals(min_value=D("0"), max_value=D("10000000"), places=2)
percentages = st.decimals(min_value=D("0"), max_value=D("100"), places=2)
lines = st.lists(st.builds(LineInput, quantities, prices, percentages), max_size=25)


@given(lines=lines, tax_rate=percentages)
def test_totals_add_up(lines, tax_rate):
    amounts = quote_amounts(lines, tax_rate)
    cents = D("0.01")
    # every amount is in cents and never negative
    figures = [amounts.subtotal, amounts.discount_total, amounts.tax, amounts.total]
    for line in amounts.lines:
        figures += [line.gross, line.discount_amount, line.line_total]
        assert line.line_total == line.gross - line.discount_amount
        assert 0 <= line.discount_amount <= line.gross
    assert all(f >= 0 and f == f.quantize(cents) for f in figures)
    # the quote's figures are the sums of its lines'
    assert amounts.subtotal == sum((a.gross for a in amounts.lines), D(0))
    assert amounts.discount_total == sum((a.discount_amount for a in amounts.lines), D(0))
    assert amounts.total == sum((a.line_total for a in amounts.lines), D(0)) + amounts.tax
    assert amounts.total == amounts.subtotal - amounts.discount_total + amounts.tax
    # the tax is the rate applied to the net amount, to within half a cent
    exact_tax = (amounts.subtotal - amounts.discount_total) * tax_rate / 100
    assert abs(amounts.tax - exact_tax) <= D("0.005")


@given(line=st.builds(LineInput, quantities, prices, percentages))
def test_each_line_is_within_half_a_cent_of_the_exact_figure(line):
    amounts = line_amounts(line)
    exact_gross = line.quantity * line.unit_price
    assert abs(amounts.gross - exact_gross) <= D("0.005")
    assert abs(amounts.discount_amount - amounts.gross * line.discount_pct / 100) <= D("0.005")


@given(lines=lines)
def test_no_discount_and_no_tax_leave_the_subtotal(lines):
    plain = [LineInput(line.quantity, line.unit_price) for line in lines]
    amounts = quote_amounts(plain, D(0))
    assert amounts.total == amounts.subtotal
    assert amounts.discount_total == amounts.tax == 0
