from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.activities.choices import SubjectType, TaskPriority
from gendan.fields.choices import RecordType
from gendan.fields.forms import CustomFieldsForm
from gendan.ui.widgets import DATETIME_FORMATS, StyledForm, datetime_input


class TaskForm(CustomFieldsForm, StyledForm):
    record_type = RecordType.TASK

    subject_type = forms.ChoiceField(
        choices=[("", "")] + SubjectType.choices, required=False, widget=forms.HiddenInput
    )
    subject_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Task"), max_length=200)
    due_at = forms.DateTimeField(
        label=_("Due"), required=False, widget=datetime_input(), input_formats=DATETIME_FORMATS
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=TaskPriority.choices,
        initial=TaskPriority.NORMAL,
        widget=forms.Select(attrs={"col": "col-sm-6"}),
    )
    assignee_id = forms.TypedChoiceField(
        label=_("Assignee"),
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"col": "col-sm-6"}),
    )
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_id"].choices = [(u.pk, u.name) for u in assignees]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("subject_type"):
            data.pop("subject_type", None)
            data.pop("subject_id", None)
        if not data.get("assignee_id"):
            data.pop("assignee_id", None)
        return data
