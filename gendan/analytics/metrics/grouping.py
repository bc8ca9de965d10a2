"""Reports grouped by a deal's custom field: `group_by=custom.<key>` for a single choice, a
yes / no or a user field the viewer may see. The groups come from one aggregate query over the
field's value expression (`fields.expressions.CustomValue`, the one its index is built on),
never from a query per value."""

from django.utils.translation import gettext as _

from gendan.analytics.metrics.common import user_names
from gendan.core.errors import ValidationFailed
from gendan.fields import display
from gendan.fields.choices import FieldType, RecordType
from gendan.fields.expressions import CustomValue
from gendan.fields.selectors import visible_definitions

GROUPABLE = (FieldType.CHOICE, FieldType.BOOLEAN, FieldType.USER)
PREFIX = "custom."
EMPTY = None


def groupable_fields(actor, fields=None) -> list:
    """The deals' fields `actor` may group a report by (for the page's select); `fields`: the
    deals' definitions the actor may see, when already read."""
    if fields is None:
        fields = visible_definitions(actor, RecordType.DEAL)
    return [f for f in fields if f.type in GROUPABLE]


def group_field(actor, group_by: str | None, fields=None):
    """The field `group_by` names, or None for no grouping; ValidationFailed (`group_by`) for
    anything else, a field the viewer may not see included."""
    if not group_by:
        return None
    key = group_by[len(PREFIX) :] if group_by.startswith(PREFIX) else None
    field = next((f for f in groupable_fields(actor, fields) if f.key == key), None)
    if field is None:
        raise ValidationFailed(
            errors={
                "group_by": _(
                    "Group by custom.<key> of a single choice, yes / no or user field of the "
                    "deals that you may see."
                )
            }
        )
    return field


def expression(field):
    return CustomValue(field.key, field.type)


def groups(field, found) -> list[dict]:
    """The groups in their order — the field's choices (then values no choice has any more), yes
    then no, users by name — each `{"value", "label"}`, then "(empty)"; every choice is listed,
    the others only when a deal has them. `found`: the values the query answered."""
    found = list(found)
    empty = {"value": EMPTY, "label": _("(empty)")}
    if field.type == FieldType.CHOICE:
        known = [c["value"] for c in field.choices or []]
        rest = sorted(v for v in found if v is not None and v not in known)
        out = [{"value": c["value"], "label": display.choice_label(c)} for c in field.choices or []]
        return [*out, *({"value": v, "label": v} for v in rest), empty]
    if field.type == FieldType.BOOLEAN:
        return [{"value": True, "label": _("Yes")}, {"value": False, "label": _("No")}, empty]
    names = user_names(found)
    users = sorted((v for v in found if v is not None), key=lambda v: names.get(v, ""))
    return [*({"value": v, "label": names.get(v) or f"#{v}"} for v in users), empty]
