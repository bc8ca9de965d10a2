"""Forms of the sales pages. They parse input into the dicts the services take; the services
decide what is allowed (amount limits, statuses, scope) and their errors land on these forms."""

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.fields.choices import RecordType
from gendan.fields.forms import CustomFieldsForm
from gendan.sales.choices import ContractStatus, PaymentMethod, VisitChannel
from gendan.sales.pricing import format_money
from gendan.ui.widgets import DATETIME_FORMATS, StyledForm, date_input, datetime_input

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
CENT = Decimal("0.01")


def _half(widget_class=forms.TextInput, **attrs):
    return widget_class(attrs={"col": "col-sm-6", **attrs})


def money_input(**attrs):
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


class ContractForm(CustomFieldsForm, StyledForm):
    """Create or edit a contract. On edit only the fields that changed are sent."""

    record_type = RecordType.CONTRACT

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    customer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=money_input(col="col-7 col-sm-8"),
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
            if name in self.fields:
                self.fields[name].widget.attrs["col"] = "col-sm-4"
        self.fields["owner_id"].choices = _user_choices(owners, owner)
        if "pm_id" in self.fields:
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
        widget=money_input(),
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
        widget=money_input(col="col-sm-6", autofocus=True),
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
