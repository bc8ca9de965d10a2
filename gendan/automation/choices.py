from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleObject(models.TextChoices):
    LEAD = "lead", _("Lead")
    DEAL = "deal", _("Deal")
    CUSTOMER = "customer", _("Customer")
    TASK = "task", _("Task")
    CONTRACT = "contract", _("Contract")
    PAYMENT_PLAN = "payment_plan", _("Payment plan")


class TriggerType(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    ACTIVITY_LOGGED = "activity_logged", _("Follow-up logged")
    IDLE = "idle", _("No follow-up for a while")
    DUE = "due", _("A date is reached")
    SLA = "sla", _("Not contacted in time")


EVENT_TRIGGERS = (
    TriggerType.CREATED,
    TriggerType.UPDATED,
    TriggerType.STAGE_CHANGED,
    TriggerType.ACTIVITY_LOGGED,
)
TIME_TRIGGERS = (TriggerType.IDLE, TriggerType.DUE, TriggerType.SLA)


class Operator(models.TextChoices):
    EQ = "eq", "="
    NE = "ne", "≠"
    IN = "in", _("in")
    GT = "gt", ">"
    GTE = "gte", "≥"
    LT = "lt", "<"
    LTE = "lte", "≤"
    CONTAINS = "contains", _("contains")
    IS_EMPTY = "is_empty", _("is empty")


class ActionType(models.TextChoices):
    ASSIGN = "assign", _("Assign")
    CREATE_TASK = "create_task", _("Create a task")
    NOTIFY = "notify", _("Notify")
    SET_FIELD = "set_field", _("Set a field")
    MOVE_TO_POOL = "move_to_pool", _("Move to the public pool")
    ADD_COLLABORATOR = "add_collaborator", _("Add a collaborator")
    ESCALATE = "escalate", _("Escalate")
    WEBHOOK = "webhook", _("Call a webhook")


class RunOutcome(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Conditions not met")
    FAILED = "failed", _("Failed")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk robot")
    FEISHU = "feishu", _("Feishu bot")
    SLACK = "slack", _("Slack incoming webhook")
    WEBHOOK = "webhook", _("Signed JSON webhook")
