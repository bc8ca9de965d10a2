from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.customers.choices import CustomerSize, CustomerStatus
from gendan.web.widgets import StyledForm


class CustomerForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
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
    owner_id = forms.TypedChoiceField(
        label=_("Owner"), coerce=int, required=False, widget=forms.Select(attrs={"col": "col-sm-6"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].choices = [(u.pk, u.name) for u in owners]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("owner_id"):
            data.pop("owner_id", None)
        return data


class ContactForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    customer_id = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Name"), max_length=120, widget=forms.TextInput(attrs={"col": "col-sm-6"})
    )
    title = forms.CharField(
        label=_("Job title"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-6"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-6", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"col": "col-sm-6"})
    )
    wechat = forms.CharField(
        label=_("WeChat"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-6"}),
    )
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
