"""Bootstrap classes on Django form widgets, so every dialog looks the same."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def next_follow_up_field(**kwargs) -> forms.DateTimeField:
    """ "Next follow-up": a date and time, optional, on every record that is followed up."""
    return forms.DateTimeField(
        label=_("Next follow-up"),
        required=False,
        widget=datetime_input(),
        input_formats=DATETIME_FORMATS,
        **kwargs,
    )


def notes_field(rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


def half(widget_class=forms.TextInput, **attrs):
    """A widget laid out in half the dialog's width from small screens up."""
    return widget_class(attrs={"col": "col-sm-6", **attrs})


class RecordForm(StyledForm):
    """A form that edits a record: `version` guards against overwriting someone else's change
    (the service answers 409, the dialog explains it); it is not part of the data."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class OwnedRecordForm(RecordForm):
    """A record with an owner chosen among the users the actor may assign to."""

    owner_id = forms.TypedChoiceField(
        label=_("Owner"), coerce=int, required=False, widget=half(forms.Select)
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].choices = [(u.pk, u.name) for u in owners]

    def service_data(self) -> dict:
        data = super().service_data()
        if not data.get("owner_id"):
            data.pop("owner_id", None)
        return data


class PersonFields(forms.Form):
    """How to reach a person: shared by leads and contacts."""

    name = forms.CharField(label=_("Name"), max_length=120, widget=half())
    title = forms.CharField(label=_("Job title"), max_length=120, required=False, widget=half())
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=half(inputmode="tel")
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254, required=False, widget=half(forms.EmailInput)
    )
    wechat = forms.CharField(label=_("WeChat"), max_length=64, required=False, widget=half())
