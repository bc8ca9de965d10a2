from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.customers.choices import CustomerSize, CustomerStatus
from gendan.fields.choices import RecordType
from gendan.fields.forms import CustomFieldsForm
from gendan.ui.widgets import OwnedRecordForm, PersonFields, RecordForm, notes_field


class CustomerForm(CustomFieldsForm, OwnedRecordForm):
    record_type = RecordType.CUSTOMER
    name = forms.CharField(label=_("Name"), max_length=200)
    industry = forms.CharField(
        label=_("Industry"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-6"}),
    )
    size = forms.ChoiceField(
        label=_("Size"),
        choices=CustomerSize.choices,
        required=False,
        widget=forms.Select(attrs={"col": "col-sm-6"}),
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-6"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=CustomerStatus.choices,
        initial=CustomerStatus.PROSPECT,
        widget=forms.Select(attrs={"col": "col-sm-6"}),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    website = forms.CharField(
        label=_("Website"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-6"}),
    )
    notes = notes_field()

    field_order = [
        "version",
        "name",
        "industry",
        "size",
        "region",
        "status",
        "address",
        "website",
        "owner_id",
        "notes",
    ]


class ContactForm(CustomFieldsForm, PersonFields, RecordForm):
    record_type = RecordType.CONTACT
    customer_id = forms.IntegerField(widget=forms.HiddenInput)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)

    field_order = [
        "version",
        "customer_id",
        "name",
        "title",
        "phone",
        "email",
        "wechat",
        "is_primary",
    ]
