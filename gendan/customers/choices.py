from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    CHURNED = "churned", _("Churned")


class CustomerSize(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    MICRO = "1-10", "1-10"
    SMALL = "11-50", "11-50"
    MEDIUM = "51-200", "51-200"
    LARGE = "201-1000", "201-1000"
    ENTERPRISE = "1000+", "1000+"
