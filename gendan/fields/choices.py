from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RecordType(models.TextChoices):
    """The records an administrator can add fields to."""

    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    CONTACT = "contact", _("Contact")
    DEAL = "deal", _("Deal")
    CONTRACT = "contract", _("Contract")
    ACTIVITY = "activity", _("Follow-up")
    TASK = "task", _("Task")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", pgettext_lazy("type of a custom field", "Number")
    MONEY = "money", _("Money")
    DATE = "date", _("Date")
    DATETIME = "datetime", _("Date and time")
    CHOICE = "choice", _("Single choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    BOOLEAN = "boolean", _("Yes / no")
    USER = "user", _("User")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    URL = "url", _("Web address")


# The model each record type's values live on (app label.Model), read with apps.get_model:
# the domain apps sit above this package and are never imported from it.
RECORD_MODELS = {
    RecordType.LEAD: "leads.Lead",
    RecordType.CUSTOMER: "customers.Customer",
    RecordType.CONTACT: "customers.Contact",
    RecordType.DEAL: "deals.Deal",
    RecordType.CONTRACT: "sales.Contract",
    RecordType.ACTIVITY: "activities.Activity",
    RecordType.TASK: "activities.Task",
}

# Types whose values are compared as a whole (equals, one of, range) and get an index.
INDEXED_TYPES = frozenset(
    {
        FieldType.NUMBER,
        FieldType.MONEY,
        FieldType.DATE,
        FieldType.DATETIME,
        FieldType.CHOICE,
        FieldType.BOOLEAN,
        FieldType.USER,
    }
)
# Types with a range filter (from / to) and that sort by their value.
RANGE_TYPES = frozenset({FieldType.NUMBER, FieldType.MONEY, FieldType.DATE, FieldType.DATETIME})
# Types searched by "contains".
TEXT_TYPES = frozenset(
    {FieldType.TEXT, FieldType.LONG_TEXT, FieldType.PHONE, FieldType.EMAIL, FieldType.URL}
)
