from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class TargetMetric(models.TextChoices):
    NEW_LEADS = "new_leads", _("New leads")
    FOLLOW_UPS = "follow_ups", _("Follow-ups")
    NEW_CUSTOMERS = "new_customers", _("New customers")
    DEALS_WON = "deals_won", _("Deals won")
    CONTRACT_AMOUNT = "contract_amount", _("Contract amount")
    PAYMENT_AMOUNT = "payment_amount", _("Payments received")


# Metrics counted in records; the others are sums of money.
COUNT_METRICS = {
    TargetMetric.NEW_LEADS,
    TargetMetric.FOLLOW_UPS,
    TargetMetric.NEW_CUSTOMERS,
    TargetMetric.DEALS_WON,
}
