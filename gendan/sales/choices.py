from django.db import models
from django.utils.translation import gettext_lazy as _


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    FULFILLED = "fulfilled", _("Fulfilled")
    TERMINATED = "terminated", _("Terminated")


class PlanStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PARTIAL = "partial", _("Partially paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class VisitChannel(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("On-site visit")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")
