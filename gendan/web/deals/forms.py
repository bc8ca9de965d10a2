from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from gendan.core.risk import RiskLevel
from gendan.fields.choices import RecordType
from gendan.fields.forms import CustomFieldsForm
from gendan.ui.widgets import OwnedRecordForm, date_input, next_follow_up_field, notes_field


class DealForm(CustomFieldsForm, OwnedRecordForm):
    record_type = RecordType.DEAL
    name = forms.CharField(label=_("Deal name"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"col": "col-sm-6", "step": "0.01"}),
    )
    expected_close_date = forms.DateField(
        label=_("Expected close date"), required=False, widget=date_input()
    )
    contact_id = forms.TypedChoiceField(
        label=_("Contact"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"col": "col-sm-6"}),
    )
    risk_level = forms.ChoiceField(
        label=_("Risk"), choices=RiskLevel.choices, widget=forms.Select(attrs={"col": "col-sm-6"})
    )
    next_follow_up_at = next_follow_up_field()
    notes = notes_field()

    field_order = [
        "version",
        "name",
        "amount",
        "expected_close_date",
        "contact_id",
        "owner_id",
        "risk_level",
        "next_follow_up_at",
        "notes",
    ]

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        if "contact_id" in self.fields:
            self.fields["contact_id"].choices = [("", "—")] + [(c.pk, c.name) for c in contacts]
        if "expected_close_date" in self.fields:
            self.fields["expected_close_date"].widget.attrs["col"] = "col-sm-6"


class DealCreateForm(DealForm):
    """A new deal for a customer: its pipeline chosen first, and the form laid out by that
    pipeline's layout (choosing another pipeline draws the dialog again, with htmx)."""

    customer_id = forms.IntegerField(widget=forms.HiddenInput)
    pipeline_id = forms.TypedChoiceField(
        label=_("Pipeline"),
        coerce=int,
        widget=forms.Select(
            attrs={
                "col": "col-sm-6",
                "hx-get": reverse_lazy("deals:create"),
                "hx-target": "#gd-dialog-body",
                "hx-include": "closest form",
                "hx-trigger": "change",
                "data-testid": "deal-pipeline",
            }
        ),
    )

    field_order = ["customer_id", "pipeline_id", *DealForm.field_order]

    def __init__(self, *args, pipelines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pipeline_id"].choices = list(pipelines)  # (id, name in the reader's language)


class MoveFieldsForm(CustomFieldsForm):
    """The custom fields a stage requires, asked for by the board's move dialog (`only`)."""

    record_type = RecordType.DEAL
