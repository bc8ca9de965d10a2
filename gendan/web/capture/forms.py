"""The settings form of a public lead form: its texts, and a row per lead field it may show."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.capture import fields as form_fields
from gendan.leads.choices import LeadSource
from gendan.org.models import User
from gendan.ui.widgets import StyledForm, half

MAIN = (
    "name",
    "is_active",
    "owner_id",
    "source",
    "tags",
    "title_zh",
    "title_en",
    "thanks_zh",
    "thanks_en",
    "redirect_url",
)


_BOX = {"class": "form-control form-control-sm"}


def _tick() -> forms.CheckboxInput:
    return forms.CheckboxInput(attrs={"class": "form-check-input"})


def _slot(name: str) -> str:
    return name.replace(".", "__")


class LeadFormForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=120)
    is_active = forms.BooleanField(
        label=pgettext_lazy("lead form", "Active"), required=False, initial=True
    )
    owner_id = forms.TypedChoiceField(
        label=_("New leads go first to"),
        coerce=int,
        help_text=_("The assignment rules then give them to the right person."),
        widget=half(forms.Select),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=LeadSource.choices,
        initial=LeadSource.WEB_FORM,
        widget=half(forms.Select),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=200,
        required=False,
        help_text=_("Separated by commas, e.g. the campaign."),
    )
    title_zh = forms.CharField(
        label=_("Heading (Chinese)"), max_length=120, required=False, widget=half()
    )
    title_en = forms.CharField(
        label=_("Heading (English)"), max_length=120, required=False, widget=half()
    )
    thanks_zh = forms.CharField(
        label=_("Thank-you text (Chinese)"), max_length=500, required=False, widget=half()
    )
    thanks_en = forms.CharField(
        label=_("Thank-you text (English)"), max_length=500, required=False, widget=half()
    )
    redirect_url = forms.CharField(
        label=_("Then go to"),
        max_length=500,
        required=False,
        help_text=_("Optional: a page of your site shown after the thank-you text."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].choices = [
            (u.pk, u.name) for u in User.objects.filter(is_active=True).order_by("username")
        ]
        self.field_rows = []
        for name, label in form_fields.choices():
            slot = _slot(name)
            row = {
                "field": name,
                "label": label,
                "show": f"show_{slot}",
                "required": f"required_{slot}",
                "order": f"order_{slot}",
                "label_zh": f"label_zh_{slot}",
                "label_en": f"label_en_{slot}",
            }
            # added after StyledForm styled the form's own fields: styled here, the same way
            self.fields[row["show"]] = forms.BooleanField(required=False, widget=_tick())
            self.fields[row["required"]] = forms.BooleanField(required=False, widget=_tick())
            self.fields[row["order"]] = forms.IntegerField(
                required=False, min_value=0, max_value=999, widget=forms.NumberInput(_BOX)
            )
            self.fields[row["label_zh"]] = forms.CharField(
                required=False, max_length=80, widget=forms.TextInput(_BOX)
            )
            self.fields[row["label_en"]] = forms.CharField(
                required=False, max_length=80, widget=forms.TextInput(_BOX)
            )
            self.field_rows.append(row)
        for row in self.field_rows:
            for key in ("show", "required", "order", "label_zh", "label_en"):
                row[f"{key}_field"] = self[row[key]]

    @property
    def main_fields(self) -> list:
        return [self[name] for name in MAIN]

    def service_data(self) -> dict:
        data = {key: self.cleaned_data[key] for key in MAIN if key != "tags"}
        tags = (self.cleaned_data.get("tags") or "").replace("，", ",")
        data["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
        chosen = []
        for index, row in enumerate(self.field_rows):
            if not self.cleaned_data.get(row["show"]):
                continue
            order = self.cleaned_data.get(row["order"])
            chosen.append(
                (
                    order if order is not None else 100 + index,
                    index,
                    {
                        "field": row["field"],
                        "required": bool(self.cleaned_data.get(row["required"])),
                        "label_zh": self.cleaned_data.get(row["label_zh"]) or "",
                        "label_en": self.cleaned_data.get(row["label_en"]) or "",
                    },
                )
            )
        data["fields"] = [entry for _o, _i, entry in sorted(chosen, key=lambda c: c[:2])]
        return data

    @classmethod
    def initial_for(cls, form) -> dict:
        initial = {
            "version": form.version,
            "name": form.name,
            "is_active": form.is_active,
            "owner_id": form.owner_id,
            "source": form.source,
            "tags": ", ".join(form.tags),
            "title_zh": form.title_zh,
            "title_en": form.title_en,
            "thanks_zh": form.thanks_zh,
            "thanks_en": form.thanks_en,
            "redirect_url": form.redirect_url,
        }
        for position, entry in enumerate(form.fields, start=1):
            slot = _slot(entry["field"])
            initial[f"show_{slot}"] = True
            initial[f"required_{slot}"] = entry["required"]
            initial[f"order_{slot}"] = position * 10
            initial[f"label_zh_{slot}"] = entry.get("label_zh", "")
            initial[f"label_en_{slot}"] = entry.get("label_en", "")
        return initial

    @classmethod
    def initial_new(cls, owner_id: int) -> dict:
        initial = {"owner_id": owner_id, "is_active": True, "source": LeadSource.WEB_FORM}
        for position, name in enumerate(("name", "company", "phone", "email", "notes"), start=1):
            initial[f"show_{name}"] = True
            initial[f"order_{name}"] = position * 10
            initial[f"required_{name}"] = name in ("name", "phone")
        return initial
