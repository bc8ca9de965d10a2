"""The building blocks of a rule's shapes: numbers, message templates, people, channels, and
the condition (field, op, value).

Every shape refuses keys it does not know (`extra="forbid"`). A check that depends on the
rule's object (a field path exists on a deal, a stage or user exists) reads the object from
the validation context (`{"object": "deal"}`, as `rule_validate` passes it); without it (the
API parsing a request) only the shape is checked, and the service checks the rest.
"""

from typing import Annotated, Any, Literal

from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from gendan.automation import rule_custom
from gendan.automation.choices import Operator
from gendan.automation.rule_objects import (
    CHANNELS,
    MAX_CONDITIONS,
    PEOPLE,
    WITH_CUSTOMER,
    field_path_valid,
)
from gendan.core.validation import invalid
from gendan.org.models import User

MAX_TEXT = 2000


class Shape(BaseModel):
    """A part of a rule: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


def rule_object(info: ValidationInfo) -> str | None:
    """The rule's object when the caller checks the rule against the records, else None."""
    context = info.context
    return context.get("object") if isinstance(context, dict) else None


def only_for(objects, message):
    """The `type` validator of a trigger or action that only some objects have: it refuses
    the part on a rule whose object is not one of `objects` (message: a lazy translation)."""

    def check(cls, kind: str, info: ValidationInfo) -> str:
        obj = rule_object(info)
        if obj and obj not in objects:
            raise invalid(str(message))
        return kind

    return field_validator("type")(classmethod(check))


def typed_part(value, types, *, what: str, unknown: str):
    """A trigger or action before its model is chosen: an object with a known `type`."""
    if not isinstance(value, dict):
        raise invalid(what)
    kind = value.get("type")
    if kind not in types:
        raise invalid(unknown % {"type": kind, "types": ", ".join(types)}, key="type")
    return value


# Numbers ------------------------------------------------------------------------------------


def _number(message, *, check=lambda n: True, schema: dict | None = None):
    """A JSON number (int or float, never a bool), kept as given (3 stays 3) and checked."""

    def validate(value):
        if isinstance(value, bool) or not isinstance(value, int | float) or not check(value):
            raise invalid(message)
        return value

    return Annotated[
        int | float, BeforeValidator(validate), WithJsonSchema({"type": "number", **(schema or {})})
    ]


Positive = _number(
    gettext_lazy("Give a positive number."), check=lambda n: n > 0, schema={"exclusiveMinimum": 0}
)
Hours = _number(
    gettext_lazy("Give a number of hours."), check=lambda n: n >= 0, schema={"minimum": 0}
)
Offset = _number(gettext_lazy("Give a number (negative means before)."))
Timeout = _number(
    gettext_lazy("Give a timeout between 0 and 30 seconds."),
    check=lambda n: 0 < n <= 30,
    schema={"exclusiveMinimum": 0, "maximum": 30},
)


# Messages: Django templates with the record as `record` ------------------------------------


def _template(source: str) -> str:
    try:
        Template(source)
    except TemplateSyntaxError as exc:
        raise invalid(_("Template error: %(error)s") % {"error": exc}) from exc
    return source


TEMPLATE_HELP = "A Django template with the record as `record`: `{{ record.name }}`."
Text = Annotated[
    str,
    Field(min_length=1, max_length=MAX_TEXT, description=TEMPLATE_HELP),
    AfterValidator(_template),
]
OptionalText = (
    Annotated[str, Field(max_length=MAX_TEXT, description=TEMPLATE_HELP), AfterValidator(_template)]
    | None
)


# People and channels ------------------------------------------------------------------------


def person_error(value, choices, obj: str | None) -> str | None:
    """What is wrong with a person an action names (`owner`, `manager`, a user id), if
    anything; users are looked up only when the rule is checked against the records."""
    if isinstance(value, bool):
        return _("Unknown person.")
    if isinstance(value, int):
        if obj and not User.objects.filter(pk=value, is_active=True).exists():
            return _("No such active user.")
        return None
    if value not in choices:
        return _("Use %(choices)s or a user id.") % {"choices": ", ".join(choices)}
    if value == "customer_owner" and obj and obj not in WITH_CUSTOMER:
        return _("This record has no customer.")
    return None


def person(choices: tuple[str, ...], description: str):
    def validate(value, info: ValidationInfo):
        error = person_error(value, choices, rule_object(info))
        if error:
            raise invalid(error)
        return value

    return Annotated[
        Literal[choices] | StrictInt, BeforeValidator(validate), Field(description=description)
    ]


Person = person(
    PEOPLE,
    "`owner` (the record's owner), `manager` (the owner's team manager), `customer_owner` "
    "(the owner of the record's customer) or a user id.",
)


def _channels(value):
    if value is None:
        return value
    if not isinstance(value, list) or not all(isinstance(c, str) and c in CHANNELS for c in value):
        raise invalid(_("Use channels from %(channels)s.") % {"channels": ", ".join(CHANNELS)})
    return value


Channels = Annotated[
    list[Literal[CHANNELS]] | None,
    BeforeValidator(_channels),
    Field(description="In-app always; also these channels."),
]


# Conditions ---------------------------------------------------------------------------------


class Condition(Shape):
    """`{"field": "status", "op": "eq", "value": "open"}`: the record's field (or a dotted path
    to a related record's, e.g. `owner.team_id`, `stage.kind`, or a custom field of the record,
    `custom.segment`) compared with the value."""

    field: str = Field(
        description="A field of the record, a dotted path (`owner.team_id`) or a custom "
        "field of the record (`custom.segment`)."
    )
    op: Operator
    value: Any = Field(None, description="A list for `in`, true or false for `is_empty`.")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        if not isinstance(data, dict):
            raise invalid(_("Each condition is an object with field, op and value."))
        return data

    @field_validator("field")
    @classmethod
    def _known_field(cls, path: str, info: ValidationInfo) -> str:
        obj = rule_object(info)
        if obj and rule_custom.is_custom(path):
            if rule_custom.field_for(obj, path) is None:
                raise invalid(rule_custom.unknown_message(obj, path))
            problem = rule_custom.access_problem(obj, path, info.context, change=False)
            if problem:
                raise invalid(problem)
        elif obj and not field_path_valid(obj, path):
            raise invalid(rule_custom.unknown_message(obj, path))
        return path

    @field_validator("op", mode="before")
    @classmethod
    def _known_op(cls, op):
        if op not in Operator.values:
            raise invalid(
                _("Unknown operator “%(op)s”; use one of %(ops)s.")
                % {"op": op, "ops": ", ".join(Operator.values)}
            )
        return op

    @model_validator(mode="after")
    def _value_fits_op(self, info: ValidationInfo):
        value, given = self.value, "value" in self.model_fields_set
        if self.op == Operator.IN and not isinstance(value, list):
            raise invalid(_("The operator “in” needs a list of values."), key="value")
        if self.op == Operator.IS_EMPTY and given and not isinstance(value, bool):
            raise invalid(_("The operator “is_empty” takes true or false."), key="value")
        if self.op in ("gt", "gte", "lt", "lte", "contains") and value is None:
            raise invalid(_("This operator needs a value."), key="value")
        obj = rule_object(info)
        field = obj and rule_custom.field_for(obj, self.field)
        if field:
            problem = rule_custom.condition_error(field, self.op, value, given)
            if problem:
                key = "op" if self.op not in rule_custom.operators(field) else "value"
                raise invalid(problem, key=key)
        return self


def _condition_list(value):
    if not isinstance(value, list):
        raise invalid(_("Give a list of conditions."))
    if len(value) > MAX_CONDITIONS:
        raise invalid(_("At most %(n)d conditions.") % {"n": MAX_CONDITIONS})
    return value


Conditions = Annotated[
    list[Condition],
    BeforeValidator(_condition_list),
    Field(max_length=MAX_CONDITIONS, description="All must hold."),
]
