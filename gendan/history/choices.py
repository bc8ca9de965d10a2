from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """The records whose fields keep a history (the model's name)."""

    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    CONTACT = "contact", _("Contact")
    DEAL = "deal", _("Deal")
    CONTRACT = "contract", _("Contract")
    PAYMENT_PLAN = "paymentplan", _("Payment plan")
    PAYMENT = "payment", _("Payment")


class Via(models.TextChoices):
    """Where a change came from."""

    WEB = "web", _("Web app")
    API = "api", _("API")
    AUTOMATION = "automation", _("Automation")
    IMPORT = "import", _("Import")
    MERGE = "merge", _("Merge")
    SYSTEM = "system", _("System")
