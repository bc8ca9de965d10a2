"""The form of a custom field's definition (Settings → Custom fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.fields.choices import FieldType, RecordType
from gendan.org.choices import RoleCode
from gendan.ui.widgets import StyledForm, half

CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTI_CHOICE)


def parse_choices(text: str) -> list[dict]:
    """One choice a line: `value | 中文 | English | #colour` (all but the value optional)."""
    choices = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        parts += [""] * (4 - len(parts))
        choice = {"value": parts[0], "label_zh": parts[1], "label_en": parts[2]}
        if parts[3]:
            choice["color"] = parts[3]
        choices.append(choice)
    return choices


def choices_text(choices: list[dict]) -> str:
    return "\n".join(
        " | ".join([c["value"], c["label_zh"], c["label_en"], c["color"]]) for c in choices or []
    )


def parse_default(field_type: str, text: str):
    """The default as typed, in the form the field's type takes (the service checks it)."""
    text = (text or "").strip()
    if not text:
        return None
    if field_type == FieldType.BOOLEAN:
        return text.lower() in ("true", "yes", "1", "是")
    if field_type == FieldType.MULTI_CHOICE:
        return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if field_type == FieldType.USER:
        return int(text) if text.isdigit() else text
    return text


class CustomFieldForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    record_type = forms.ChoiceField(
        label=_("Record type"), choices=RecordType.choices, widget=half(forms.Select)
    )
    type = forms.ChoiceField(label=_("Type"), choices=FieldType.choices, widget=half(forms.Select))
    label_zh = forms.CharField(
        label=_("Label (Chinese)"), max_length=80, required=False, widget=half()
    )
    label_en = forms.CharField(
        label=_("Label (English)"), max_length=80, required=False, widget=half()
    )
    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        help_text=_("Used by the API, filters, exports and rules; it cannot change later."),
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: value | 中文 | English | #colour. Keep a value to keep its data."),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    on_card = forms.BooleanField(
        label=_("Show on the board's cards"),
        required=False,
        help_text=_("Deals only; up to three fields."),
    )
    default = forms.CharField(label=_("Default"), max_length=255, required=False, widget=half())
    position = forms.IntegerField(label=_("Order"), required=False, min_value=0, widget=half())
    help_zh = forms.CharField(
        label=_("Help (Chinese)"), max_length=255, required=False, widget=half()
    )
    help_en = forms.CharField(
        label=_("Help (English)"), max_length=255, required=False, widget=half()
    )
    visible_to = forms.MultipleChoiceField(
        label=_("Who sees it"),
        choices=RoleCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )
    editable_by = forms.MultipleChoiceField(
        label=_("Who changes it"),
        choices=RoleCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role that sees it."),
    )

    def __init__(self, *args, field=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = field
        if field is not None:
            for name in ("record_type", "key", "type"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        field_type = self.editing.type if self.editing else data["type"]
        data["choices"] = parse_choices(data.get("choices", ""))
        data["default"] = parse_default(field_type, data.get("default", ""))
        if self.editing is not None:
            for name in ("record_type", "key", "type"):
                data.pop(name, None)
            if field_type not in CHOICE_TYPES:
                data.pop("choices")
        return data

    @classmethod
    def initial_for(cls, field) -> dict:
        default = field.default
        if isinstance(default, list):
            default = ", ".join(default)
        elif isinstance(default, bool):
            default = "true" if default else "false"
        return {
            "version": field.version,
            "record_type": field.record_type,
            "type": field.type,
            "key": field.key,
            "label_zh": field.label_zh,
            "label_en": field.label_en,
            "choices": choices_text(field.choices),
            "required": field.required,
            "on_card": field.on_card,
            "default": "" if default is None else default,
            "position": field.position,
            "help_zh": field.help_zh,
            "help_en": field.help_en,
            "visible_to": field.visible_to,
            "editable_by": field.editable_by,
        }


class DeleteFieldForm(StyledForm):
    confirm = forms.CharField(label=_("Type the field's key to delete it"), max_length=40)


class MappingForm(StyledForm):
    """One line of the conversion mapping: a lead field onto a customer, contact or deal
    field (`<record type>:<key>`)."""

    source_key = forms.ChoiceField(label=_("Lead field"))
    target = forms.ChoiceField(label=_("Fills"))

    def __init__(self, *args, sources=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_key"].choices = list(sources)
        self.fields["target"].choices = list(targets)

    def service_data(self) -> dict:
        target_type, _sep, target_key = self.cleaned_data["target"].partition(":")
        return {
            "source_key": self.cleaned_data["source_key"],
            "target_type": target_type,
            "target_key": target_key,
        }
