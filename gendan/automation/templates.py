"""The standard playbook: rule templates an administrator enables with one click.

Each template is data (`PLAYBOOK`) that makes an ordinary rule (same shape as `POST /rules`);
names and messages are translated into the language active when it is listed or enabled.
Rules made from a template remember its key (`Rule.template`), so enabling a template twice
does not make a second rule.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OPEN_LEAD = ["new", "contacted", "qualified"]

PLAYBOOK: tuple[dict, ...] = (
    {
        "key": "lead_round_robin",
        "name": _("New lead: assign round robin to the team's SDRs"),
        "description": _(
            "A lead entered for the team by operations, a manager or an administrator "
            "(campaign lists, the website) goes to the next SDR of the owner's team who is "
            "under their limit; reps keep the leads they enter themselves."
        ),
        "object": "lead",
        "trigger": {"type": "created"},
        "conditions": [{"field": "owner.role.code", "op": "in", "value": ["ops", "sm", "admin"]}],
        "actions": [
            {
                "type": "assign",
                "strategy": "round_robin",
                "role": "sdr",
                "team_id": "owner_team",
            }
        ],
    },
    {
        "key": "lead_sla_2h",
        "name": _("Lead not contacted within 2 hours: remind the owner"),
        "description": _("SLA: a new lead should be contacted within 2 hours."),
        "object": "lead",
        "trigger": {"type": "sla", "hours": 2},
        "conditions": [{"field": "in_pool", "op": "eq", "value": False}],
        "actions": [
            {
                "type": "notify",
                "to": "owner",
                "message": _("Lead {{ record.name }} has not been contacted for 2 hours."),
                "channels": ["in_app"],
            }
        ],
    },
    {
        "key": "lead_sla_4h",
        "name": _("Lead not contacted within 4 hours: tell the manager"),
        "description": _("SLA: after 4 hours without contact the owner's manager is told."),
        "object": "lead",
        "trigger": {"type": "sla", "hours": 4},
        "conditions": [{"field": "in_pool", "op": "eq", "value": False}],
        "actions": [
            {
                "type": "notify",
                "to": "manager",
                "message": _(
                    "Lead {{ record.name }} ({{ record.owner.name }}) has not been "
                    "contacted for 4 hours."
                ),
                "channels": ["in_app"],
            }
        ],
    },
    {
        "key": "deal_idle_3d",
        "name": _("Customer quiet for 3 days: task for the owner"),
        "description": _("An open deal with no follow-up for 3 days gets a follow-up task."),
        "object": "deal",
        "trigger": {"type": "idle", "days": 3},
        "conditions": [{"field": "status", "op": "eq", "value": "open"}],
        "actions": [
            {
                "type": "create_task",
                "title": _("Follow up {{ record.name }}"),
                "assignee": "owner",
                "due_in_hours": 24,
            },
            {
                "type": "notify",
                "to": "owner",
                "message": _("{{ record.name }} has had no follow-up for 3 days."),
                "channels": ["in_app"],
            },
        ],
    },
    {
        "key": "deal_risk_follow_up",
        "name": _("Risk after each follow-up; escalate high risk"),
        "description": _(
            "After each follow-up the deal's risk is recomputed (two no-replies in a row, "
            "3+ objections, requirements changed twice, stalled in its stage); high risk "
            "is escalated to the manager."
        ),
        "object": "deal",
        "trigger": {"type": "activity_logged"},
        "conditions": [{"field": "status", "op": "eq", "value": "open"}],
        "actions": [
            {"type": "set_field", "field": "risk_level", "value": "recompute"},
            {
                "type": "escalate",
                "conditions": [{"field": "risk_level", "op": "eq", "value": "high"}],
                "message": _("High risk: {{ record.name }} ({{ record.owner.name }})."),
            },
        ],
    },
    {
        "key": "deal_risk_stalled",
        "name": _("Deal stalled past its stage's limit: risk and escalation"),
        "description": _(
            "Once a day, an open deal longer in its stage than the stage's max days gets "
            "its risk recomputed; high risk is escalated to the manager."
        ),
        "object": "deal",
        "trigger": {"type": "due", "field": "stage_entered_at", "repeat": "daily"},
        "conditions": [
            {"field": "status", "op": "eq", "value": "open"},
            {"field": "is_stalled", "op": "eq", "value": True},
        ],
        "actions": [
            {"type": "set_field", "field": "risk_level", "value": "recompute"},
            {
                "type": "escalate",
                "conditions": [{"field": "risk_level", "op": "eq", "value": "high"}],
                "message": _("High risk: {{ record.name }} ({{ record.owner.name }})."),
            },
        ],
    },
    {
        "key": "lead_idle_7d_pool",
        "name": _("Lead without follow-up for 7 days: back to the public pool"),
        "description": _("An open lead nobody followed up for 7 days goes to the pool."),
        "object": "lead",
        "trigger": {"type": "idle", "days": 7},
        "conditions": [
            {"field": "in_pool", "op": "eq", "value": False},
            {"field": "status", "op": "in", "value": OPEN_LEAD},
        ],
        "actions": [
            {"type": "move_to_pool", "reason": _("No follow-up for 7 days")},
        ],
    },
    {
        "key": "payment_due_3d",
        "name": _("Installment due in 3 days: remind the contract owner"),
        "description": _("Three days before an unpaid installment is due."),
        "object": "payment_plan",
        "trigger": {"type": "due", "field": "due_date", "offset_days": -3},
        "conditions": [{"field": "outstanding_amount", "op": "gt", "value": 0}],
        "actions": [
            {
                "type": "notify",
                "to": "owner",
                "message": _(
                    "Installment {{ record.sequence }} of contract "
                    "{{ record.contract.number }} ({{ record.outstanding_amount }} "
                    "{{ record.contract.currency }}) is due on {{ record.due_date }}."
                ),
                "channels": ["in_app"],
            }
        ],
    },
    {
        "key": "payment_overdue_daily",
        "name": _("Installment overdue: tell owner and manager every day until paid"),
        "description": _("Every day while an installment is overdue and not fully paid."),
        "object": "payment_plan",
        "trigger": {"type": "due", "field": "due_date", "offset_days": 1, "repeat": "daily"},
        "conditions": [{"field": "outstanding_amount", "op": "gt", "value": 0}],
        "actions": [
            {
                "type": "notify",
                "to": ["owner", "manager"],
                "message": _(
                    "Overdue: installment {{ record.sequence }} of contract "
                    "{{ record.contract.number }} ({{ record.outstanding_amount }} "
                    "{{ record.contract.currency }}) was due on {{ record.due_date }}."
                ),
                "channels": ["in_app"],
            }
        ],
    },
    {
        "key": "contract_renewal_60d",
        "name": _("Contract ending in 60 days: renewal deal for the account manager"),
        "description": _(
            "60 days before an active contract ends, a renewal deal is created for the "
            "customer's owner (the account manager)."
        ),
        "object": "contract",
        "trigger": {"type": "due", "field": "end_date", "offset_days": -60},
        "conditions": [{"field": "status", "op": "eq", "value": "active"}],
        "actions": [
            {
                "type": "create_deal",
                "name": _("Renewal: {{ record.customer.name }} ({{ record.number }})"),
                "owner": "customer_owner",
                "copy_amount": True,
            }
        ],
    },
    {
        "key": "task_due",
        "name": _("Task due: remind the assignee"),
        "description": _("When an open task's due time is reached."),
        "object": "task",
        "trigger": {"type": "due", "field": "due_at"},
        "conditions": [{"field": "status", "op": "eq", "value": "open"}],
        "actions": [
            {
                "type": "notify",
                "to": "owner",
                "message": _("Task due: {{ record.title }}"),
                "channels": ["in_app"],
            }
        ],
    },
)


def _resolved(value):
    """A copy of a template's part with its texts in the active language."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_resolved(item) for item in value]
    return value


def playbook() -> list[dict]:
    return [_resolved(template) for template in PLAYBOOK]


def template_get(key: str) -> dict | None:
    template = next((t for t in PLAYBOOK if t["key"] == key), None)
    return None if template is None else _resolved(template)
