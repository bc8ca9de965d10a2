from django import forms

from gendan.org.choices import DUPLICATE_FIELDS, DuplicateAction, DuplicateField, DuplicateRecord


class DuplicateRulesForm(forms.Form):
    """One choice (off, warn, block) per field of each record type: `lead_phone`, ..."""

    def __init__(self, *args, current: dict[str, dict[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for record, fields in DUPLICATE_FIELDS.items():
            cells = []
            for field in fields:
                name = f"{record}_{field}"
                self.fields[name] = forms.ChoiceField(
                    choices=DuplicateAction.choices,
                    initial=current[record][field],
                    label=DuplicateField(field).label,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                cells.append(name)
            self.rows.append((DuplicateRecord(record).label, cells))

    def bound_rows(self):
        return [(label, [self[name] for name in cells]) for label, cells in self.rows]

    def service_changes(self) -> dict[str, dict[str, str]]:
        return {
            record: {field: self.cleaned_data[f"{record}_{field}"] for field in fields}
            for record, fields in DUPLICATE_FIELDS.items()
        }
