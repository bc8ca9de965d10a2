"""The form of a stage's rules (Settings → Pipelines and stages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.deals.choices import REQUIRED_FIELD_CHOICES, REQUIRED_FIELD_LABELS
from gendan.deals.rules import CHECKLIST_LIMIT, ITEM_TEXT_LIMIT, normalized
from gendan.fields.display import label
from gendan.ui.widgets import RecordForm, half

BLANK_ROWS = 3  # empty rows for new key actions


def required_field_choices(custom_fields) -> list[tuple[str, str]]:
    """Built-in deal fields, then the custom ones (`custom.<key>`), in the reader's language."""
    builtin = [(f, str(REQUIRED_FIELD_LABELS[f])) for f in REQUIRED_FIELD_CHOICES]
    return builtin + [(f"custom.{f.key}", label(f)) for f in custom_fields]


class StageRulesForm(RecordForm):
    name_zh = forms.CharField(
        label=_("Name (Chinese)"), max_length=120, required=False, widget=half()
    )
    name = forms.CharField(label=_("Name (English)"), max_length=120, widget=half())
    probability = forms.IntegerField(
        label=_("Probability (%)"), min_value=0, max_value=100, widget=half()
    )
    required_fields = forms.MultipleChoiceField(
        label=_("Required to enter the stage"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A deal cannot enter the stage while one of these is empty."),
    )

    def __init__(self, *args, stage, custom_fields=(), **kwargs):
        items = normalized(stage.key_actions)
        initial = {
            "version": stage.version,
            "name": stage.name,
            "name_zh": stage.name_zh,
            "probability": stage.probability,
            "required_fields": list(stage.required_fields or []),
        }
        for n, item in enumerate(items):
            initial.update(
                {
                    f"item_{n}_id": item["id"],
                    f"item_{n}_text": item["text"],
                    f"item_{n}_order": n + 1,
                    f"item_{n}_mandatory": item["mandatory"],
                }
            )
        super().__init__(*args, initial=initial, **kwargs)
        choices = required_field_choices(custom_fields)
        known = {value for value, _label in choices}
        # a field that is archived now keeps its place, so saving does not drop it
        choices += [(f, f) for f in stage.required_fields or [] if f not in known]
        self.fields["required_fields"].choices = choices
        self.rows = min(len(items) + BLANK_ROWS, CHECKLIST_LIMIT)
        for n in range(self.rows):
            self._add_row(n)

    def _add_row(self, n: int) -> None:
        self.fields[f"item_{n}_id"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields[f"item_{n}_text"] = forms.CharField(
            label=_("Key action %(n)d") % {"n": n + 1},
            max_length=ITEM_TEXT_LIMIT,
            required=False,
            widget=forms.TextInput(attrs={"col": "col-sm-7", "class": "form-control"}),
        )
        self.fields[f"item_{n}_order"] = forms.IntegerField(
            label=_("Order"),
            min_value=0,
            required=False,
            widget=forms.NumberInput(attrs={"col": "col-3 col-sm-2", "class": "form-control"}),
        )
        self.fields[f"item_{n}_mandatory"] = forms.BooleanField(
            label=_("Mandatory"),
            required=False,
            widget=forms.CheckboxInput(
                attrs={"col": "col-9 col-sm-3", "class": "form-check-input"}
            ),
        )

    def service_data(self) -> dict:
        data = super().service_data()
        rows = []
        for n in range(self.rows):
            text = (data.pop(f"item_{n}_text", "") or "").strip()
            item_id = data.pop(f"item_{n}_id", "") or None
            order = data.pop(f"item_{n}_order", None)
            mandatory = data.pop(f"item_{n}_mandatory", False)
            if text:  # a row emptied is an item removed
                rows.append((order if order is not None else 1000 + n, n, item_id, text, mandatory))
        rows.sort()
        data["key_actions"] = [
            {"id": item_id, "text": text, "mandatory": mandatory}
            for _order, _n, item_id, text, mandatory in rows
        ]
        return data
