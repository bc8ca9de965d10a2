from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.fields.choices import RecordType
from gendan.fields.forms import CustomFieldsForm
from gendan.leads.choices import LeadSource
from gendan.ui.dialogs import form_field_name
from gendan.ui.widgets import (
    OwnedRecordForm,
    PersonFields,
    StyledForm,
    half,
    next_follow_up_field,
    notes_field,
)


class LeadForm(CustomFieldsForm, PersonFields, OwnedRecordForm):
    """Create or edit a lead."""

    record_type = RecordType.LEAD

    company = forms.CharField(label=_("Company"), max_length=200, required=False, widget=half())
    source = forms.ChoiceField(
        label=_("Source"),
        choices=LeadSource.choices,
        initial=LeadSource.OTHER,
        widget=half(forms.Select),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas.")
    )
    next_follow_up_at = next_follow_up_field()
    notes = notes_field(rows=3)

    field_order = [
        "version",
        "name",
        "company",
        "title",
        "phone",
        "email",
        "wechat",
        "source",
        "owner_id",
        "tags",
        "next_follow_up_at",
        "notes",
    ]

    def service_data(self) -> dict:
        data = super().service_data()
        if "tags" in data:  # not when the layout hides the tags
            data["tags"] = [
                t.strip() for t in (data["tags"] or "").replace("，", ",").split(",") if t.strip()
            ]
        return data


class DisqualifyForm(StyledForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    disqualify_reason = forms.CharField(label=_("Why is this lead disqualified?"), max_length=255)


class ReleaseForm(StyledForm):
    reason = forms.CharField(
        label=_("Why does the lead go back to the pool?"),
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. no answer after five calls")}),
    )


class CustomerValuesForm(CustomFieldsForm, StyledForm):
    record_type = RecordType.CUSTOMER


class ContactValuesForm(CustomFieldsForm, StyledForm):
    record_type = RecordType.CONTACT


class DealValuesForm(CustomFieldsForm, StyledForm):
    record_type = RecordType.DEAL


# The parts a conversion makes, each with the custom fields of its record type.
PARTS = {"customer": CustomerValuesForm, "contact": ContactValuesForm, "deal": DealValuesForm}
# A conversion's refusals (named as the service names them) → the dialog's own fields.
SERVICE_FIELDS = {
    "customer_id": "customer_id",
    "customer.name": "customer_name",
    "deal.name": "deal_name",
    "deal.amount": "deal_amount",
    "deal.pipeline_id": "deal_pipeline_id",
}


def _redraw(widget_class, **attrs):
    """A control that draws the dialog again when it changes (the view sets the URL)."""
    return widget_class(
        attrs={
            "hx-target": "#gd-dialog-body",
            "hx-include": "closest form",
            "hx-trigger": "change",
            **attrs,
        }
    )


class ConvertForm(StyledForm):
    """Convert a lead: a new or existing customer, the contact, and optionally a deal, each
    with the custom fields of its record type that the user may see (`parts`), started with
    what the conversion mapping carries (`carried`), each laid out by its layout (`layouts`;
    the deal's is the chosen pipeline's). A part is asked only when it is made: the new
    customer's fields when no existing customer is chosen, the deal's when a deal is.
    Choosing another customer, pipeline or whether to make a deal draws the dialog again
    (`redraw_url`, htmx)."""

    customer_id = forms.TypedChoiceField(
        label=_("Customer"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty to create a new customer from the lead's company."),
        widget=_redraw(forms.Select, **{"data-testid": "convert-customer"}),
    )
    customer_name = forms.CharField(label=_("New customer name"), max_length=200, required=False)
    create_deal = forms.BooleanField(
        label=_("Also create a deal"),
        required=False,
        initial=True,
        widget=_redraw(forms.CheckboxInput, **{"data-testid": "convert-create-deal"}),
    )
    deal_pipeline_id = forms.TypedChoiceField(
        label=_("Pipeline"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=_redraw(forms.Select, col="col-sm-6", **{"data-testid": "deal-pipeline"}),
    )
    deal_name = forms.CharField(
        label=_("Deal name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-sm-6"}),
    )
    deal_amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"col": "col-sm-6", "step": "0.01"}),
    )

    def __init__(
        self,
        *args,
        customers=(),
        pipelines=(),
        user=None,
        carried=None,
        layouts=None,
        redraw_url="",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["customer_id"].choices = [("", _("— a new customer —"))] + [
            (c.pk, c.name) for c in customers
        ]
        self.fields["deal_pipeline_id"].choices = list(pipelines)
        for name in ("customer_id", "create_deal", "deal_pipeline_id"):
            self.fields[name].widget.attrs["hx-get"] = redraw_url
        self.new_customer = not self._chosen("customer_id")
        self.with_deal = bool(self._chosen("create_deal"))
        self.parts = {}
        people = None  # the users a user field offers: read once for every part
        for part, form_class in PARTS.items():
            if (part == "customer" and not self.new_customer) or (
                part == "deal" and not self.with_deal
            ):
                continue
            form = form_class(
                self.data if self.is_bound else None,
                prefix=part,
                initial=self._typed(part),
                user=user,
                prefill=(carried or {}).get(part),
                layout=(layouts or {}).get(part),
                people=people,
            )
            people = form.people
            if form.custom_fields:
                self.parts[part] = form

    def _chosen(self, name: str):
        """A control's value as the dialog stands: posted, or typed before a redraw."""
        if self.is_bound:
            return self.fields[name].widget.value_from_datadict(self.data, self.files, name)
        return self.initial.get(name, self.fields[name].initial)

    def _typed(self, part: str) -> dict:
        """What was typed in a part's fields before the dialog was drawn again."""
        start = f"{part}-"
        return {k[len(start) :]: v for k, v in self.initial.items() if k.startswith(start)}

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([form.is_valid() for form in self.parts.values()]) and valid

    def add_service_errors(self, exc) -> None:
        """Put each refusal of the conversion service next to the field it names, in the
        part it is about (`exc.extra["part"]`)."""
        part = exc.extra.get("part")
        for field, message in exc.errors.items():
            named = f"{part}.{field}" if part and field != "customer_id" else field
            self._service_error(named, str(message))
        if not exc.errors:
            self.add_error(None, str(exc.detail))

    def _service_error(self, field: str, message: str) -> None:
        if field in SERVICE_FIELDS and SERVICE_FIELDS[field] in self.fields:
            self.add_error(SERVICE_FIELDS[field], message)
            return
        part, _dot, name = field.partition(".")
        form = self.parts.get(part)
        target = form_field_name(form, name) if form is not None else None
        if target is not None:
            form.add_error(target, message)
        else:
            self.add_error(None, message)

    def _custom(self, part: str) -> dict:
        form = self.parts.get(part)
        return {"custom": form.service_data()["custom"]} if form is not None else {}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"customer_id": data.get("customer_id") or None}
        if not kwargs["customer_id"]:
            customer = self._custom("customer")
            if data.get("customer_name"):
                customer["name"] = data["customer_name"]
            if customer:
                kwargs["customer"] = customer
        if "contact" in self.parts:
            kwargs["contact"] = self._custom("contact")
        if data.get("create_deal"):
            deal = self._custom("deal")
            if data.get("deal_pipeline_id"):
                deal["pipeline_id"] = data["deal_pipeline_id"]
            if data.get("deal_name"):
                deal["name"] = data["deal_name"]
            if data.get("deal_amount") is not None:
                deal["amount"] = data["deal_amount"]
            kwargs["deal"] = deal
        return kwargs
