from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.fields.choices import RecordType
from gendan.fields.forms import CustomFieldsForm
from gendan.leads.choices import LeadSource
from gendan.ui.widgets import (
    OwnedRecordForm,
    PersonFields,
    StyledForm,
    half,
    next_follow_up_field,
    notes_field,
)


class LeadForm(CustomFieldsForm, PersonFields, OwnedRecordForm):
    """Create or edit a lead."""

    record_type = RecordType.LEAD

    company = forms.CharField(label=_("Company"), max_length=200, required=False, widget=half())
    source = forms.ChoiceField(
        label=_("Source"),
        choices=LeadSource.choices,
        initial=LeadSource.OTHER,
        widget=half(forms.Select),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas.")
    )
    next_follow_up_at = next_follow_up_field()
    notes = notes_field(rows=3)

    field_order = [
        "version",
        "name",
        "company",
        "title",
        "phone",
        "email",
        "wechat",
        "source",
        "owner_id",
        "tags",
        "next_follow_up_at",
        "notes",
    ]

    def service_data(self) -> dict:
        data = super().service_data()
        if "tags" in data:  # not when the layout hides the tags
            data["tags"] = [
                t.strip() for t in (data["tags"] or "").replace("，", ",").split(",") if t.strip()
            ]
        return data


class DisqualifyForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    disqualify_reason = forms.CharField(label=_("Why is this lead disqualified?"), max_length=255)


class ReleaseForm(StyledForm):
    reason = forms.CharField(
        label=_("Why does the lead go back to the pool?"),
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. no answer after five calls")}),
    )


class ConvertForm(StyledForm):
    """Convert a lead: a new or existing customer, the contact, and optionally a deal."""

    customer_id = forms.TypedChoiceField(
        label=_("Customer"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty to create a new customer from the lead's company."),
    )
    customer_name = forms.CharField(label=_("New customer name"), max_length=200, required=False)
    create_deal = forms.BooleanField(label=_("Also create a deal"), required=False, initial=True)
    deal_name = forms.CharField(
        label=_("Deal name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-7"}),
    )
    deal_amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"col": "col-sm-5", "step": "0.01"}),
    )

    def __init__(self, *args, customers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_id"].choices = [("", _("— a new customer —"))] + [
            (c.pk, c.name) for c in customers
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"customer_id": data.get("customer_id") or None}
        if not kwargs["customer_id"] and data.get("customer_name"):
            kwargs["customer"] = {"name": data["customer_name"]}
        if data.get("create_deal"):
            deal = {}
            if data.get("deal_name"):
                deal["name"] = data["deal_name"]
            if data.get("deal_amount") is not None:
                deal["amount"] = data["deal_amount"]
            kwargs["deal"] = deal
        return kwargs
