from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    REFERRAL = "referral", _("Referral")
    IMPORT = "import", _("Import")
    WEBSITE = "website", _("Website")
    WEB_FORM = "web_form", _("Web form")
    COLD_CALL = "cold_call", _("Cold call")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUALIFIED = "qualified", _("Qualified")
    CONVERTED = "converted", _("Converted")
    DISQUALIFIED = "disqualified", _("Disqualified")
