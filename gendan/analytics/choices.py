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


class AlertMetric(models.TextChoices):
    LEAD_CONVERSION = "lead_conversion", _("Lead conversion rate")
    WIN_RATE = "win_rate", _("Win rate")
    FOLLOW_UP_GAP_DAYS = "follow_up_gap_days", _("Mean days between follow-ups")
    CHURN = "churn", _("Churn rate")
    CYCLE_DAYS = "cycle_days", _("Mean sales cycle (days)")
    FIRST_RESPONSE_HOURS = "first_response_hours", _("Median first response (hours)")


# Metrics whose value is a fraction in [0, 1] (shown as a percentage).
RATE_METRICS = {AlertMetric.LEAD_CONVERSION, AlertMetric.WIN_RATE, AlertMetric.CHURN}


class Comparator(models.TextChoices):
    LT = "lt", _("below")
    GT = "gt", _("above")


class AlertScope(models.TextChoices):
    TEAM = "team", _("Each team")
    ORG = "org", _("The whole organisation")
