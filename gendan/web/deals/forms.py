from django import forms
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
        self.fields["contact_id"].choices = [("", "—")] + [(c.pk, c.name) for c in contacts]
        self.fields["expected_close_date"].widget.attrs["col"] = "col-sm-6"


class MoveFieldsForm(CustomFieldsForm):
    """The custom fields a stage requires, asked for by the board's move dialog (`only`)."""

    record_type = RecordType.DEAL
