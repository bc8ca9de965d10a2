"""Forms of the quote pages: the header, its lines as a formset, and the live preview of the
amounts while lines are typed."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.sales.pricing import LineInput, format_money, quote_amounts
from gendan.ui.widgets import StyledForm, date_input
from gendan.web.sales.forms import CurrencyField, money_input

LINE_FIELDS = ("product_id", "description", "quantity", "unit_price", "discount_pct")
MAX_LINES = 100


def _default_valid_until():
    return timezone.localdate() + timedelta(days=30)


class QuoteForm(StyledForm):
    """The quote's header; its lines come from `QuoteLineFormSet`."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, initial=_default_valid_until, widget=date_input()
    )
    tax_rate = forms.DecimalField(
        label=_("Tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("13"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
    )
    currency = CurrencyField(label=_("Currency"))
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the quote: payment terms, delivery, …"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].widget.attrs["col"] = "col-12 col-sm-4"
        self.fields["tax_rate"].widget.attrs["col"] = "col-6 col-sm-4"
        self.fields["currency"].widget.attrs["col"] = "col-6 col-sm-4"

    def header_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class QuoteLineForm(StyledForm):
    product_id = forms.TypedChoiceField(
        label=_("Product"), coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    quantity = forms.DecimalField(
        label=_("Qty"),
        required=False,
        max_digits=14,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        max_digits=16,
        decimal_places=2,
        widget=money_input(),
    )
    discount_pct = forms.DecimalField(
        label=_("Discount %"),
        required=False,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_id"].choices = [("", _("— free text —"))] + [
            (p.pk, f"{p.name} · {p.currency} {format_money(p.list_price)}") for p in products
        ]

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("product_id") or data.get("description") or data.get("unit_price"))

    def clean(self):
        data = super().clean()
        if not self.is_blank() and data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Enter a quantity."))
        return data


class BaseQuoteLineFormSet(forms.BaseFormSet):
    def service_lines(self) -> tuple[list[dict], list[int]]:
        """The non-blank lines for the service, and which form each one came from."""
        lines, origin = [], []
        for index, form in enumerate(self.forms):
            if form.is_blank():
                continue
            data = form.cleaned_data
            lines.append(
                {
                    "product_id": data.get("product_id"),
                    "description": data.get("description") or None,
                    "quantity": data["quantity"],
                    "unit_price": data.get("unit_price"),
                    "discount_pct": data.get("discount_pct") or Decimal(0),
                }
            )
            origin.append(index)
        return lines, origin


QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm, formset=BaseQuoteLineFormSet, extra=0, max_num=MAX_LINES, absolute_max=MAX_LINES
)


def blank_row() -> dict:
    return {
        "product_id": "",
        "description": "",
        "quantity": "1",
        "unit_price": "",
        "discount_pct": "",
    }


def read_rows(data) -> list[dict]:
    """The line rows as submitted (raw strings), to redraw or preview them."""
    try:
        total = int(data.get("lines-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    total = max(0, min(total, MAX_LINES))
    return [
        {field: (data.get(f"lines-{i}-{field}") or "").strip() for field in LINE_FIELDS}
        for i in range(total)
    ]


def rows_data(rows: list[dict]) -> dict:
    """Formset data for `rows`, to redraw the lines without validating them."""
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": str(MAX_LINES),
    }
    for i, row in enumerate(rows):
        for field in LINE_FIELDS:
            data[f"lines-{i}-{field}"] = row.get(field, "")
    return data


def rows_from_quote(quote) -> list[dict]:
    return [
        {
            "product_id": str(line.product_id or ""),
            "description": line.description,
            "quantity": f"{line.quantity.normalize():f}",
            "unit_price": f"{line.unit_price:f}",
            "discount_pct": f"{line.discount_pct.normalize():f}" if line.discount_pct else "",
        }
        for line in quote.lines.all()
    ]


def fill_from_product(row: dict, products: dict) -> dict:
    """A product was chosen on this row: take its name and list price."""
    product = products.get(_int(row.get("product_id")))
    if product is None:
        return row
    return {**row, "description": product.name, "unit_price": f"{product.list_price:f}"}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decimal(value, default=None):
    try:
        number = Decimal(str(value).replace(",", "")) if value not in (None, "") else default
    except (InvalidOperation, ValueError):
        return None
    if number is None or not number.is_finite() or number < 0:
        return None
    return number


def preview_amounts(rows: list[dict], products: dict, tax_rate) -> tuple[list, object, Decimal]:
    """What the server will compute (`pricing.quote_amounts`) for the rows as typed so far:
    the amounts of each row, the quote's totals and the tax rate used.

    A row without a usable quantity or price counts as nothing yet; its amount is None.
    """
    inputs, where = [], []
    for index, row in enumerate(rows):
        product = products.get(_int(row.get("product_id")))
        price = _decimal(row.get("unit_price"))
        if price is None and not row.get("unit_price") and product is not None:
            price = product.list_price
        quantity = _decimal(row.get("quantity"))
        discount = _decimal(row.get("discount_pct"), Decimal(0))
        if price is None or not quantity or discount is None or discount > 100:
            continue
        inputs.append(LineInput(quantity, price, discount))
        where.append(index)
    rate = _decimal(tax_rate, Decimal(0))
    rate = rate if rate is not None and rate <= 100 else Decimal(0)
    totals = quote_amounts(inputs, rate)
    per_row = [None] * len(rows)
    for index, amounts in zip(where, totals.lines, strict=True):
        per_row[index] = amounts
    return per_row, totals, rate
