"""What every action shares: the run's context, its failure, and the writes it asks of the
domain services, as the system (`gendan/org/system.py`)."""

from dataclasses import dataclass, field
from datetime import datetime

from gendan.activities.choices import SubjectType
from gendan.automation import records
from gendan.automation.choices import RuleObject
from gendan.automation.models import Rule
from gendan.customers import services as customer_services
from gendan.deals import services as deal_services
from gendan.followups import services as followup_services
from gendan.leads import services as lead_services
from gendan.org.system import system_actor
from gendan.sales.services import contracts as contract_services
from gendan.sales.services import payments as payment_services


class ActionFailed(Exception):
    """An action could not be done (nobody to assign to, a webhook answered 500, ...)."""


@dataclass
class RunContext:
    rule: Rule
    record: object
    now: datetime
    event: dict = field(default_factory=dict)
    # The run's occurrence (its unique key with the rule and the record) and the index of the
    # action being run: what names a delivery the same way when a lost run is run again.
    occurrence: str = ""
    step: int = 0

    @property
    def obj(self) -> str:
        return self.rule.object


def user_ref(user) -> dict | None:
    return {"id": user.pk, "name": user.name} if user is not None else None


def subject_of(record):
    """The timeline subject of a record (a payment plan's contract), or None (a task)."""
    obj = records.object_of(record)
    if obj == RuleObject.PAYMENT_PLAN:
        return record.contract
    return record if obj in SubjectType.values else None


def rule_data(ctx: RunContext, **extra) -> dict:
    return {"rule_id": ctx.rule.pk, "rule": ctx.rule.name, **extra}


# Each kind of record's update service, with the name of its id argument.
UPDATES = {
    RuleObject.LEAD: (lead_services.lead_update, "lead_id"),
    RuleObject.DEAL: (deal_services.deal_update, "deal_id"),
    RuleObject.CUSTOMER: (customer_services.customer_update, "customer_id"),
    RuleObject.TASK: (followup_services.task_update, "task_id"),
    RuleObject.CONTRACT: (contract_services.contract_update, "contract_id"),
    RuleObject.PAYMENT_PLAN: (payment_services.plan_update, "plan_id"),
}


def update(ctx: RunContext, data: dict):
    """Write `data` to the run's record through its service, as the system; the record in
    the context is the one written (its new version and fields)."""
    service, id_name = UPDATES[ctx.obj]
    ctx.record = service(actor=system_actor(), **{id_name: ctx.record.pk}, data=data)
    return ctx.record
