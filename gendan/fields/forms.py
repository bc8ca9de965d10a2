"""Custom fields on the web forms: one form field per field the user may see, `cf_<key>`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.fields import layouts
from gendan.fields.choices import FieldType
from gendan.fields.display import choice_label, help_text, label
from gendan.fields.selectors import may_edit, visible_definitions
from gendan.org.people import assignable_users
from gendan.ui.widgets import DATETIME_FORMATS, date_input, datetime_input

PREFIX = "cf_"


def _form_field(field, people) -> forms.Field:
    common = {"label": label(field), "help_text": help_text(field), "required": False}
    kind = field.type
    if kind == FieldType.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), **common)
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        places = 2 if kind == FieldType.MONEY else None
        return forms.DecimalField(
            decimal_places=places,
            max_digits=17,
            widget=forms.NumberInput(attrs={"col": "col-sm-6", "step": "any"}),
            **common,
        )
    if kind == FieldType.DATE:
        return forms.DateField(widget=date_input(), **common)
    if kind == FieldType.DATETIME:
        return forms.DateTimeField(
            widget=datetime_input(), input_formats=DATETIME_FORMATS, **common
        )
    if kind == FieldType.CHOICE:
        choices = [("", "—")] + [(c["value"], choice_label(c)) for c in field.choices]
        return forms.ChoiceField(
            choices=choices, widget=forms.Select(attrs={"col": "col-sm-6"}), **common
        )
    if kind == FieldType.MULTI_CHOICE:
        choices = [(c["value"], choice_label(c)) for c in field.choices]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == FieldType.BOOLEAN:
        choices = [("", "—"), ("true", _("Yes")), ("false", _("No"))]
        return forms.ChoiceField(
            choices=choices, widget=forms.Select(attrs={"col": "col-sm-6"}), **common
        )
    if kind == FieldType.USER:
        options = [("", "—")] + [(str(u.pk), u.name) for u in people]
        return forms.ChoiceField(
            choices=options, widget=forms.Select(attrs={"col": "col-sm-6"}), **common
        )
    if kind == FieldType.EMAIL:
        return forms.CharField(
            max_length=254, widget=forms.EmailInput(attrs={"col": "col-sm-6"}), **common
        )
    if kind == FieldType.PHONE:
        return forms.CharField(
            max_length=32,
            widget=forms.TextInput(attrs={"col": "col-sm-6", "inputmode": "tel"}),
            **common,
        )
    return forms.CharField(
        max_length=255, widget=forms.TextInput(attrs={"col": "col-sm-6"}), **common
    )


def _initial(field, value):
    if field.type == FieldType.BOOLEAN and value is not None:
        return "true" if value else "false"
    if field.type == FieldType.USER and value is not None:
        return str(value)
    return value


def _value(field, cleaned):
    """A form field's cleaned value as the services take it (values.py)."""
    if cleaned in (None, "", []):
        return None
    if field.type == FieldType.BOOLEAN:
        return cleaned == "true"
    if field.type == FieldType.USER:
        return int(cleaned)
    if field.type in (FieldType.NUMBER, FieldType.MONEY):
        return str(cleaned)
    if field.type in (FieldType.DATE, FieldType.DATETIME):
        return cleaned.isoformat()
    return cleaned


def _style(widget) -> None:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def layout_name(form_name: str) -> str:
    """How a layout names a form's field: `custom.<key>` for `cf_<key>`, else the same."""
    if form_name.startswith(PREFIX):
        return layouts.CUSTOM + form_name[len(PREFIX) :]
    return form_name


class CustomFieldsForm(forms.Form):
    """A record's form with its custom fields (put first among the bases). Pass `user` (who
    fills it in) and, when editing, `custom` (the record's values); a form made without a
    user has none. `service_data()` then carries them as `custom`. `only` (keys) keeps just
    those fields, whatever the layout: a form that asks for a few values and leaves the
    others as they are. `prefill` (keys and values) starts a new record's fields with those
    values instead of their defaults (what a lead's conversion carries). `people`: the users
    a user field offers, when the caller has read them (else `assignable_users(user)`, once).

    The form follows its record type's layout (`layout`, else the one of `pipeline_id` for a
    deal, else the type's own): the fields it hides are not in the form (so neither asked
    for nor changed), and `layout_sections` gives the rest in the layout's sections. A
    subclass's `__init__` reaches a hideable field with `self.fields.get(name)`."""

    record_type = ""

    def __init__(
        self,
        *args,
        user=None,
        custom=None,
        only=None,
        layout=None,
        pipeline_id=None,
        prefill=None,
        people=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # A form of `only` some fields asks for what a rule needs (a stage's required fields),
        # whatever the layout hides.
        self.layout = (
            layouts.ResolvedLayout(record_type=self.record_type)
            if only is not None
            else layout or layouts.layout_for(self.record_type, pipeline_id)
        )
        self.custom_fields = [
            f
            for f in (visible_definitions(user, self.record_type) if user else [])
            if not self.layout.is_hidden(layouts.CUSTOM + f.key)
        ]
        if only is not None:
            self.custom_fields = [f for f in self.custom_fields if f.key in only]
        for name in list(self.fields):
            if self.layout.is_hidden(name):
                del self.fields[name]
        creating = custom is None
        # The users a user field offers, read once for the form (or given: `people`).
        self.people = people
        for field in self.custom_fields:
            if field.type == FieldType.USER and self.people is None:
                self.people = assignable_users(user)
            form_field = _form_field(field, self.people)
            value = (custom or {}).get(field.key, field.default if creating else None)
            if creating and prefill and field.key in prefill:
                value = prefill[field.key]
            form_field.initial = _initial(field, value)
            if field.required and may_edit(user, field):
                form_field.required = True
            if not may_edit(user, field):
                form_field.disabled = True
            _style(form_field.widget)
            self.fields[PREFIX + field.key] = form_field
        self._editable = [f for f in self.custom_fields if may_edit(user, f)]

    def service_data(self, *args, **kwargs) -> dict:
        base = getattr(super(), "service_data", None)
        data = base(*args, **kwargs) if base else dict(self.cleaned_data)
        for name in list(data):
            if name.startswith(PREFIX):
                data.pop(name)
        if self.custom_fields:
            data["custom"] = {
                f.key: _value(f, self.cleaned_data.get(PREFIX + f.key)) for f in self._editable
            }
        return data

    @property
    def layout_sections(self) -> list[dict]:
        """The shown fields in the layout's sections: `[{"label", "fields": [bound]}]` (the
        label "" for the one section of a type without a layout)."""
        shown = {layout_name(b.name): b for b in self.visible_fields()}
        return [
            {"label": section.label, "fields": [shown[n] for n in section.fields]}
            for section in self.layout.arrange(list(shown))
        ]

    @property
    def custom_bound_fields(self) -> list:
        """The custom fields as bound fields, for a template that lays a form out by hand."""
        return [self[PREFIX + f.key] for f in self.custom_fields]
