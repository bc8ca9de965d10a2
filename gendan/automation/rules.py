"""The check that a rule says what it may say, before anything is saved.

A rule is data: `object`, `trigger`, `conditions`, `actions` (the shape is documented in
docs/automation.md and in OpenAPI). The shapes are pydantic models (`rule_triggers`,
`rule_fields`, `rule_shapes`); `rule_validate` checks a rule with them against its object and
raises a ValidationFailed whose `errors` name the bad part, e.g. `{"conditions.0.op": "Unknown
operator “like”…"}`, in the caller's language.
"""

from django.utils.translation import gettext as _
from pydantic import ValidationError

from gendan.automation.choices import RuleObject
from gendan.automation.rule_shapes import RuleShape, error_path
from gendan.core.errors import ValidationFailed
from gendan.core.validation import error_messages

SHAPE_PARTS = ("trigger", "conditions", "actions")


def rule_validate(data: dict, *, saver=None, author=None) -> None:
    """Raise ValidationFailed naming every bad part of a rule; nothing has been written. The
    custom fields it names are checked against the user saving it (`saver`) and the rule's
    author (`author`, when another user made it); None: the system, which may."""
    errors: dict[str, str] = {}
    if not str(data.get("name") or "").strip():
        errors["name"] = _("Give the rule a name.")
    obj = data.get("object")
    if obj not in RuleObject.values:
        errors["object"] = _("Unknown object; use one of %(objects)s.") % {
            "objects": ", ".join(RuleObject.values)
        }
        raise ValidationFailed(errors=errors)
    shape = {part: data[part] for part in SHAPE_PARTS if part in data}
    try:
        RuleShape.model_validate(shape, context={"object": obj, "saver": saver, "author": author})
    except ValidationError as exc:
        for key, message in error_messages(exc.errors(), path=error_path).items():
            errors.setdefault(key, message)
    if errors:
        raise ValidationFailed(errors=errors)
