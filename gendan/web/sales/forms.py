"""Forms of the sales pages. They parse input into the dicts the services take; the services
decide what is allowed (amount limits, statuses, scope) and their errors land on these forms."""

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.sales.choices import ContractStatus, PaymentMethod, VisitChannel
from gendan.sales.pricing import LineInput, format_money, quote_amounts
from gendan.ui.widgets import DATETIME_FORMATS, StyledForm, date_input, datetime_input

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
CENT = Decimal("0.01")


def _half(widget_class=forms.TextInput, **attrs):
    return widget_class(attrs={"col": "col-sm-6", **attrs})


def _money_input(**attrs):
    return forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal", **attrs})


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


def _user_choices(users, current=None, *, blank: str | None = None) -> list:
    """Users as choices; the current one stays selectable even when outside the list."""
    choices = [(u.pk, u.name) for u in users]
    if current is not None and current.pk not in {pk for pk, _label in choices}:
        choices.insert(0, (current.pk, current.name))
    if blank is not None:
        choices.insert(0, ("", blank))
    return choices


class CurrencyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("min_length", 3)
        super().__init__(**kwargs)

    def clean(self, value):
        value = (super().clean(value) or "").upper()
        if value and not CURRENCY_RE.match(value):
            raise forms.ValidationError(_("Use a three-letter currency code such as CNY."))
        return value


# Contracts ----------------------------------------------------------------------------------

# "Active" is also a customer status (成交客户), so an active contract has its own msgid (执行中).
CONTRACT_STATUS_LABELS = {
    ContractStatus.DRAFT: ContractStatus.DRAFT.label,
    ContractStatus.ACTIVE: pgettext_lazy("contract status", "Active"),
    ContractStatus.FULFILLED: ContractStatus.FULFILLED.label,
    ContractStatus.TERMINATED: ContractStatus.TERMINATED.label,
}


def contract_status_label(status) -> str:
    return str(CONTRACT_STATUS_LABELS.get(status, status))


def contract_status_choices() -> list:
    return [(status.value, contract_status_label(status)) for status in ContractStatus]


class ContractForm(StyledForm):
    """Create or edit a contract. On edit only the fields that changed are sent."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    customer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=_money_input(col="col-7 col-sm-8"),
    )
    currency = CurrencyField(
        label=_("Currency"), initial="CNY", widget=forms.TextInput(attrs={"col": "col-5 col-sm-4"})
    )
    signed_at = forms.DateField(label=_("Signed on"), required=False, widget=date_input())
    start_date = forms.DateField(label=_("Starts"), required=False, widget=date_input())
    end_date = forms.DateField(label=_("Ends"), required=False, widget=date_input())
    owner_id = forms.TypedChoiceField(
        label=_("Owner"), coerce=int, required=False, empty_value=None, widget=_half(forms.Select)
    )
    pm_id = forms.TypedChoiceField(
        label=_("Project manager"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=_half(forms.Select),
    )
    terms = forms.CharField(
        label=_("Terms"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, owners=(), pms=(), owner=None, pm=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("signed_at", "start_date", "end_date"):
            self.fields[name].widget.attrs["col"] = "col-sm-4"
        self.fields["owner_id"].choices = _user_choices(owners, owner)
        self.fields["pm_id"].choices = _user_choices(pms, pm, blank=_("— none —"))

    def service_data(self, *, changed_only: bool = False) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "customer_id")}
        if changed_only:
            data = {k: v for k, v in data.items() if k in self.changed_data}
        elif not data.get("owner_id"):
            data.pop("owner_id", None)
        return data


class ActivateForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    signed_at = forms.DateField(
        label=_("Signed on"),
        required=False,
        widget=date_input(),
        help_text=_("Leave empty for today."),
    )


class AcceptForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TerminateForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why is the contract terminated?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Payment plans and payments -----------------------------------------------------------------


class PlanForm(StyledForm):
    """One installment (回款计划) of a contract."""

    due_date = forms.DateField(label=_("Due date"), widget=date_input())
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=CENT,
        max_digits=16,
        decimal_places=2,
        widget=_money_input(),
    )
    sequence = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("Leave empty for the next one."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].widget.attrs["col"] = "col-sm-6"
        self.fields["amount"].widget.attrs["col"] = "col-sm-6"

    def service_data(self, *, contract_id: int) -> dict:
        data = {"contract_id": contract_id, **self.cleaned_data}
        if data.get("sequence") is None:
            data.pop("sequence", None)
        return data


class PaymentForm(StyledForm):
    """Money received (回款) on a contract, optionally for one of its installments."""

    amount = forms.DecimalField(
        label=_("Amount received"),
        min_value=CENT,
        max_digits=16,
        decimal_places=2,
        widget=_money_input(col="col-sm-6", autofocus=True),
    )
    received_at = forms.DateField(
        label=_("Received on"), initial=timezone.localdate, widget=date_input()
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=PaymentMethod.choices,
        initial=PaymentMethod.BANK_TRANSFER,
        widget=_half(forms.Select),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=120,
        required=False,
        widget=_half(placeholder=_("Bank slip, cheque number…")),
    )
    plan_id = forms.TypedChoiceField(
        label=_("Installment"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Without one, the money goes to the oldest open installment."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=255, required=False)

    def __init__(self, *args, plans=(), currency="CNY", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].widget.attrs["col"] = "col-sm-6"
        choices = [("", _("— the oldest open one —"))]
        for plan in plans:
            if plan.outstanding_amount > 0:
                label = _("#%(n)s · due %(due)s · %(open)s open") % {
                    "n": plan.sequence,
                    "due": plan.due_date.isoformat(),
                    "open": f"{currency} {format_money(plan.outstanding_amount)}",
                }
                choices.append((plan.pk, label))
        self.fields["plan_id"].choices = choices

    def service_data(self, *, contract_id: int) -> dict:
        return {"contract_id": contract_id, **self.cleaned_data}


# Delivery and visits ------------------------------------------------------------------------


class MilestoneForm(StyledForm):
    """A delivery step (履约/交付)."""

    name = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=date_input())
    owner_id = forms.TypedChoiceField(
        label=_("Owner"), coerce=int, required=False, empty_value=None, widget=_half(forms.Select)
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].widget.attrs["col"] = "col-sm-6"
        self.fields["owner_id"].choices = _user_choices(owners, blank=_("— the project manager —"))

    def service_data(self, *, contract_id: int) -> dict:
        return {"contract_id": contract_id, **self.cleaned_data}


SATISFACTION_CHOICES = [
    ("", _("— not asked —")),
    (5, _("★★★★★ Very satisfied")),
    (4, _("★★★★☆ Satisfied")),
    (3, _("★★★☆☆ Neutral")),
    (2, _("★★☆☆☆ Dissatisfied")),
    (1, _("★☆☆☆☆ Very dissatisfied")),
]


class VisitForm(StyledForm):
    """An after-sales visit (回访) and how satisfied the customer is."""

    customer_id = forms.IntegerField(widget=forms.HiddenInput)
    contract_id = forms.TypedChoiceField(
        label=_("Contract"), coerce=int, required=False, empty_value=None
    )
    occurred_at = forms.DateTimeField(
        label=_("When"), initial=_now, widget=datetime_input(), input_formats=DATETIME_FORMATS
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=VisitChannel.choices, initial=VisitChannel.VISIT
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
    )
    feedback = forms.CharField(
        label=_("Feedback"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    issues_raised = forms.CharField(
        label=_("Issues raised"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_visit_at = forms.DateTimeField(
        label=_("Next visit"),
        required=False,
        widget=datetime_input(),
        input_formats=DATETIME_FORMATS,
    )

    def __init__(self, *args, contracts=(), fixed_contract: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("occurred_at", "channel", "satisfaction", "next_visit_at"):
            self.fields[name].widget.attrs["col"] = "col-sm-6"
        field = self.fields["contract_id"]
        field.choices = [("", _("— none —"))] + [(c.pk, str(c)) for c in contracts]
        if fixed_contract:
            field.widget = forms.HiddenInput()

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


# Quotes -------------------------------------------------------------------------------------

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
        widget=_money_input(),
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
