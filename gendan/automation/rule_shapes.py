"""The shapes of a rule's actions (one model per action type, chosen by `type`) and of the
whole rule. The API's schemas (`RuleIn`, `RulePatch`) use them, so OpenAPI lists every trigger
and action with its fields; `rules.rule_validate` checks a rule with them.

What is stored stays the JSON that was sent (`Rule.trigger`, `Rule.actions`): the engine and
the actions read it as dicts. The triggers are in `rule_triggers`; the conditions and the
common field types in `rule_fields`.
"""

from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import (
    BeforeValidator,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from gendan.activities.choices import TaskPriority
from gendan.automation import rule_custom
from gendan.automation.choices import RuleObject, TriggerType
from gendan.automation.rule_fields import (
    Channels,
    Conditions,
    Hours,
    OptionalText,
    Person,
    Shape,
    Text,
    Timeout,
    only_for,
    person,
    person_error,
    rule_object,
    typed_part,
)
from gendan.automation.rule_objects import ACTION_TYPES, MAX_ACTIONS, NOTIFY_PEOPLE, SET_FIELDS
from gendan.automation.rule_triggers import Trigger
from gendan.core.validation import invalid
from gendan.deals.choices import CollaboratorRole
from gendan.org.choices import RoleCode
from gendan.org.models import Team

# An action's own conditions, checked just before it runs (after the actions before it).
ActionConditions = Annotated[
    Conditions | None, Field(description="Checked just before the action runs.")
]


def _team(value, info: ValidationInfo):
    if value is None or value == "owner_team":
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(_("No such team (or use “owner_team”)."))
    if rule_object(info) and not Team.objects.filter(pk=value).exists():
        raise invalid(_("No such team (or use “owner_team”)."))
    return value


class AssignAction(Shape):
    """Give the record to the next (`round_robin`) or least busy (`least_loaded`) active user
    of the role and/or team, or to one user (`user_id`)."""

    type: Literal["assign"]
    user_id: StrictInt | None = None
    strategy: Literal["round_robin", "least_loaded"] | None = None
    role: RoleCode | None = None
    team_id: Annotated[
        StrictInt | Literal["owner_team"] | None,
        BeforeValidator(_team),
        Field(description="A team (with its sub-teams), or `owner_team`: the owner's team."),
    ] = None
    conditions: ActionConditions = None

    @field_validator("user_id")
    @classmethod
    def _active_user(cls, user_id: int | None, info: ValidationInfo) -> int | None:
        error = user_id is not None and person_error(user_id, (), rule_object(info))
        if error:
            raise invalid(error)
        return user_id

    @model_validator(mode="after")
    def _whom(self):
        if self.user_id is not None:
            return self
        if self.strategy is None:
            message = _("Use round_robin or least_loaded, or give a user_id.")
            raise invalid(message, key="strategy")
        if self.role is None and self.team_id is None:
            raise invalid(_("Give a role and/or a team."), key="role")
        return self


class CreateTaskAction(Shape):
    """A task on the record (a payment plan's: on its contract), for the assignee."""

    type: Literal["create_task"]
    title: Text
    description: OptionalText = None
    assignee: Person = "owner"
    due_in_hours: Hours | None = None
    priority: TaskPriority = TaskPriority.NORMAL
    conditions: ActionConditions = None


def _notify_targets(value, info: ValidationInfo):
    targets = value if isinstance(value, list) else [value]
    if not targets:
        raise invalid(_("Say who is notified."))
    for target in targets:
        error = person_error(target, NOTIFY_PEOPLE, rule_object(info))
        if error:
            raise invalid(error)
    return value


NotifyPerson = Literal[NOTIFY_PEOPLE] | StrictInt


class NotifyAction(Shape):
    """An in-app notification (always), plus the other channels."""

    type: Literal["notify"]
    to: Annotated[
        NotifyPerson | list[NotifyPerson],
        BeforeValidator(_notify_targets),
        Field(description="A person (as for the other actions, or `team`) or a list of them."),
    ]
    message: Text
    channels: Channels = None
    conditions: ActionConditions = None


class SetFieldAction(Shape):
    """lead: `tags` (adds a tag), `status`; deal, customer: `risk_level` (`low`, `medium`,
    `high`, or `recompute`); task: `status`, `priority`; and any custom field of the record,
    `custom.<key>` (null clears it)."""

    type: Literal["set_field"]
    field: str
    value: Any
    conditions: ActionConditions = None

    @model_validator(mode="after")
    def _settable(self, info: ValidationInfo):
        obj = rule_object(info)
        if not obj:
            return self
        if rule_custom.is_custom(self.field):
            return self._custom_settable(obj, info.context)
        allowed = SET_FIELDS[obj]
        if self.field not in allowed:
            raise invalid(
                _("This field cannot be set by a rule; allowed: %(fields)s.")
                % {"fields": ", ".join(allowed) or "-"},
                key="field",
            )
        values, value = allowed[self.field], self.value
        if values is None:  # tags: add one tag
            if not isinstance(value, str) or not value.strip() or len(value) > 40:
                raise invalid(_("Give a tag of at most 40 characters."), key="value")
        elif value not in values:
            message = _("Use one of %(values)s.") % {"values": ", ".join(map(str, values))}
            raise invalid(message, key="value")
        return self

    def _custom_settable(self, obj: str, context):
        field = rule_custom.field_for(obj, self.field)
        if field is None:
            raise invalid(rule_custom.unknown_message(obj, self.field), key="field")
        problem = rule_custom.access_problem(obj, self.field, context, change=True)
        if problem:
            raise invalid(problem, key="field")
        problem = rule_custom.set_value_error(field, self.value)
        if problem:
            raise invalid(problem, key="value")
        return self


class MoveToPoolAction(Shape):
    """A lead goes back to the public pool (公海)."""

    type: Literal["move_to_pool"]
    reason: OptionalText = None
    conditions: ActionConditions = None

    _leads = only_for((RuleObject.LEAD,), gettext_lazy("Only leads go to the public pool."))


class AddCollaboratorAction(Shape):
    """Add the manager (or a user) to the deal."""

    type: Literal["add_collaborator"]
    user: person(("manager",), "`manager` or a user id.") = "manager"
    role: CollaboratorRole = CollaboratorRole.OTHER
    conditions: ActionConditions = None

    _deals = only_for((RuleObject.DEAL,), gettext_lazy("Only deals have collaborators."))


class EscalateAction(Shape):
    """Notify the manager and, on a deal, add them as a collaborator (once)."""

    type: Literal["escalate"]
    message: OptionalText = None
    channels: Channels = None
    conditions: ActionConditions = None


def _web_address(url):
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise invalid(_("Give an http:// or https:// address."))
    return url


class WebhookAction(Shape):
    """POST the record as JSON, signed with the secret (`X-Gendan-Signature`)."""

    type: Literal["webhook"]
    url: Annotated[str, Field(max_length=500), BeforeValidator(_web_address)]
    secret: str = Field("", max_length=255)
    timeout: Timeout = 5
    conditions: ActionConditions = None


class CreateDealAction(Shape):
    """A new open deal for the record's customer in the default pipeline (e.g. a renewal):
    from a contract, customer or deal."""

    type: Literal["create_deal"]
    name: Text
    owner: Person = "customer_owner"
    copy_amount: bool = False
    conditions: ActionConditions = None

    _with_customer = only_for(
        (RuleObject.CONTRACT, RuleObject.CUSTOMER, RuleObject.DEAL),
        gettext_lazy("Deals are created from a contract, customer or deal."),
    )


def _action_type(value):
    return typed_part(
        value,
        ACTION_TYPES,
        what=_("Each action is an object with a type."),
        unknown=_("Unknown action “%(type)s”; use one of %(types)s."),
    )


Action = Annotated[
    AssignAction
    | CreateTaskAction
    | NotifyAction
    | SetFieldAction
    | MoveToPoolAction
    | AddCollaboratorAction
    | EscalateAction
    | WebhookAction
    | CreateDealAction,
    Field(discriminator="type"),
    BeforeValidator(_action_type),
]


def _action_list(value):
    if not isinstance(value, list) or not value:
        raise invalid(_("Give at least one action."))
    if len(value) > MAX_ACTIONS:
        raise invalid(_("At most %(n)d actions.") % {"n": MAX_ACTIONS})
    return value


Actions = Annotated[
    list[Action],
    BeforeValidator(_action_list),
    Field(min_length=1, max_length=MAX_ACTIONS, description="Run in order."),
]


class RuleShape(Shape):
    """A rule's trigger, conditions and actions, as `rule_validate` checks them."""

    trigger: Trigger
    conditions: Conditions = []
    actions: Actions


TRIGGER_TAGS = frozenset(TriggerType.values)
ACTION_TAGS = frozenset(ACTION_TYPES)


def error_path(loc: tuple) -> tuple:
    """Pydantic puts the chosen model's `type` into an error's location (`trigger.idle.days`,
    `actions.0.notify.to`); the rule's paths leave it out (`trigger.days`, `actions.0.to`)."""
    parts: list = []
    for part in loc:
        after_trigger = parts[-1:] == ["trigger"] and part in TRIGGER_TAGS
        after_action = (
            len(parts) >= 2
            and parts[-2] == "actions"
            and isinstance(parts[-1], int)
            and part in ACTION_TAGS
        )
        if not (after_trigger or after_action):
            parts.append(part)
    return tuple(parts)
