from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.activities.choices import Channel, Outcome, SubjectType
from gendan.fields.choices import RecordType
from gendan.fields.forms import CustomFieldsForm
from gendan.ui.widgets import StyledForm, next_follow_up_field


def _in_three_days():
    local = timezone.localtime() + timedelta(days=3)
    return local.replace(hour=10, minute=0, second=0, microsecond=0)


class FollowUpForm(CustomFieldsForm, StyledForm):
    """Log a follow-up (跟进记录): fields map one to one onto `activity_log`."""

    record_type = RecordType.ACTIVITY

    subject_type = forms.ChoiceField(choices=SubjectType.choices, widget=forms.HiddenInput)
    subject_id = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Channel.choices,
        initial=Channel.CALL,
        widget=forms.Select(attrs={"col": "col-6"}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        initial=Outcome.NEUTRAL,
        widget=forms.Select(attrs={"col": "col-6"}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("What was discussed, what the customer needs, what happens next"),
            }
        ),
    )
    next_follow_up_at = next_follow_up_field(initial=_in_three_days)
    objection = forms.BooleanField(label=_("Customer raised an objection"), required=False)
    requirement_changed = forms.BooleanField(label=_("Requirement changed"), required=False)
