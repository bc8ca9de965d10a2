from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubjectType(models.TextChoices):
    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    DEAL = "deal", _("Deal")
    CONTRACT = "contract", _("Contract")


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    NO_REPLY = "no_reply", _("No reply")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    OWNER_CHANGED = "owner_changed", _("Owner changed")
    AMOUNT_CHANGED = "amount_changed", _("Amount changed")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    FOLLOW_UP = "follow_up", _("Follow-up")
    TASK_CREATED = "task_created", _("Task created")
    TASK_DONE = "task_done", _("Task done")
    TASK_CANCELLED = "task_cancelled", _("Task cancelled")
    CONVERTED = "converted", _("Converted")
    COLLABORATOR_ADDED = "collaborator_added", _("Collaborator added")
    COLLABORATOR_REMOVED = "collaborator_removed", _("Collaborator removed")
    CONTACT_ADDED = "contact_added", _("Contact added")
    DEAL_CREATED = "deal_created", _("Deal created")
    QUOTE_CREATED = "quote_created", _("Quote created")
    QUOTE_SENT = "quote_sent", _("Quote sent")
    QUOTE_ACCEPTED = "quote_accepted", _("Quote accepted")
    QUOTE_REJECTED = "quote_rejected", _("Quote rejected")
    QUOTE_EXPIRED = "quote_expired", _("Quote expired")
    CONTRACT_CREATED = "contract_created", _("Contract created")
    CONTRACT_ACTIVATED = "contract_activated", _("Contract activated")
    CONTRACT_FULFILLED = "contract_fulfilled", _("Contract fulfilled")
    CONTRACT_TERMINATED = "contract_terminated", _("Contract terminated")
    PAYMENT_PLANNED = "payment_planned", _("Installment planned")
    PAYMENT_RECORDED = "payment_recorded", _("Payment received")
    MILESTONE_ADDED = "milestone_added", _("Milestone added")
    MILESTONE_DONE = "milestone_done", _("Milestone done")
    VISIT_LOGGED = "visit_logged", _("After-sales visit")
    COMMENT_ADDED = "comment_added", _("Comment")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    CHECKLIST_TICKED = "checklist_ticked", _("Key action ticked")
    CHECKLIST_UNTICKED = "checklist_unticked", _("Key action unticked")
    FORM_SUBMITTED = "form_submitted", _("Submitted the form again")


class NotificationKind(models.TextChoices):
    MENTIONED = "mentioned", _("You were mentioned")
    ASSIGNED = "assigned", _("A record was assigned to you")
    TASK_ASSIGNED = "task_assigned", _("A task was assigned to you")
    COLLABORATOR_ADDED = "collaborator_added", _("You were added to a deal")
    PAYMENT_RECORDED = "payment_recorded", _("A payment was received")
    RULE = "rule", _("Automation")
    ALERT = "alert", _("A number crossed its alert threshold")


class DeliveryStatus(models.TextChoices):
    """Where one notification stands on one channel (`NotificationDelivery.status`)."""

    PENDING = "pending", pgettext_lazy("delivery status", "Pending")
    SENDING = "sending", pgettext_lazy("delivery status", "Sending")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    SKIPPED = "skipped", pgettext_lazy("delivery status", "Skipped")
    FAILED = "failed", pgettext_lazy("delivery status", "Failed")
