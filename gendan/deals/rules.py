"""Stage rules: the fields a deal needs to enter a stage, and the key actions (a checklist) it
must tick before it leaves one.

`required_fields` names built-in deal fields (`choices.REQUIRED_FIELD_CHOICES`) and custom
deal fields as `custom.<key>`; an archived or deleted custom field is no longer required.
`key_actions` is a list of items `{"id", "text", "mandatory"}`; an item's id is given once and
never changes, so a deal's ticks (`DealChecklistTick`) survive renaming and reordering.
"""

from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed
from gendan.deals.choices import REQUIRED_FIELD_CHOICES, StageKind
from gendan.deals.models import Deal, DealChecklistTick, Stage
from gendan.fields.choices import RecordType
from gendan.fields.selectors import definitions
from gendan.org.choices import RoleCode
from gendan.ui.templatetags.gendan import local_name

CUSTOM_PREFIX = "custom."
CHECKLIST_LIMIT = 20
ITEM_TEXT_LIMIT = 200


# A stage's data ----------------------------------------------------------------------------


def check_stage_data(data: dict, stage: Stage | None = None) -> dict:
    """The stage's data checked, its checklist in the stored form (items keep their ids)."""
    data = dict(data)
    errors = {}
    if "required_fields" in data:
        problem = required_fields_problem(data["required_fields"] or [])
        if problem:
            errors["required_fields"] = problem
    if data.get("responsible_role") and data["responsible_role"] not in RoleCode.values:
        errors["responsible_role"] = _("Unknown role.")
    if "key_actions" in data:
        try:
            data["key_actions"] = checklist_items(
                data["key_actions"] or [], stage.key_actions if stage else None
            )
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return data


# Required fields ----------------------------------------------------------------------------


def required_fields_problem(fields) -> str | None:
    """What is wrong with a stage's `required_fields`, or None."""
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return _("Give a list of field names.")
    custom = {f.key for f in definitions(RecordType.DEAL)}
    unknown = [
        f
        for f in fields
        if f not in REQUIRED_FIELD_CHOICES
        and not (f.startswith(CUSTOM_PREFIX) and f[len(CUSTOM_PREFIX) :] in custom)
    ]
    if unknown:
        allowed = [*REQUIRED_FIELD_CHOICES, *(f"{CUSTOM_PREFIX}{key}" for key in sorted(custom))]
        return _("Unknown fields: %(fields)s. Allowed: %(allowed)s.") % {
            "fields": ", ".join(unknown),
            "allowed": ", ".join(allowed),
        }
    if len(set(fields)) != len(fields):
        return _("Name each field once.")
    return None


def required_custom_keys(stage: Stage) -> list[str]:
    """The custom fields the stage requires that still exist and are not archived."""
    live = {f.key for f in definitions(RecordType.DEAL)}
    keys = [
        f[len(CUSTOM_PREFIX) :] for f in stage.required_fields or [] if f.startswith(CUSTOM_PREFIX)
    ]
    return [key for key in keys if key in live]


def missing_required_fields(
    deal: Deal, stage: Stage, *, collaborator_count: int | None = None
) -> list[str]:
    """The fields `stage` requires that `deal` has empty, as the stage names them."""
    missing = []
    live = set(required_custom_keys(stage))
    for field in stage.required_fields or []:
        if field.startswith(CUSTOM_PREFIX):
            key = field[len(CUSTOM_PREFIX) :]
            if key in live and key not in (deal.custom or {}):
                missing.append(field)
        elif field == "collaborators":
            count = (
                collaborator_count
                if collaborator_count is not None
                else (deal.collaborators.count() if deal.pk else 0)
            )
            if not count:
                missing.append(field)
        elif getattr(deal, field, None) in (None, ""):
            missing.append(field)
    return missing


def emptied_required_fields(deal: Deal, changes: dict) -> list[str]:
    """The fields of the deal's current stage that this write empties: a built-in one it
    changed to nothing, a required custom value it removed."""
    missing = missing_required_fields(deal, deal.stage)
    old_custom = (changes["custom"][0] or {}) if "custom" in changes else {}
    return [
        f
        for f in missing
        if f in changes or (f.startswith(CUSTOM_PREFIX) and f[len(CUSTOM_PREFIX) :] in old_custom)
    ]


def required_error(missing: list[str], stage: Stage) -> ValidationFailed:
    message = _("Required before entering the stage “%(stage)s”.") % {"stage": local_name(stage)}
    return ValidationFailed(
        _("The deal is missing fields that this stage requires."),
        errors={field: message for field in missing},
        extra={"missing_fields": missing, "stage_id": stage.pk},
    )


# The checklist ------------------------------------------------------------------------------


def _next_id(taken: set[str]) -> str:
    numbers = [int(i[1:]) for i in taken if i[:1] == "a" and i[1:].isdigit()]
    return f"a{max(numbers, default=0) + 1}"


def _item_input(raw) -> tuple[str | None, str, bool] | str:
    """(id, text, mandatory) from a string or an object; a message when it is neither."""
    if isinstance(raw, str):
        return None, raw.strip(), False
    if isinstance(raw, dict) and isinstance(raw.get("text"), str):
        item_id = raw.get("id")
        if item_id is not None and not isinstance(item_id, str):
            return _("An item's id is a string.")
        return item_id or None, raw["text"].strip(), bool(raw.get("mandatory"))
    return _("Give each item as a text or as an object with a text.")


def checklist_items(raw, current=None) -> list[dict]:
    """The stage's checklist after a write: `raw` is the list the caller sent (texts, or
    objects with `text`, `mandatory` and, to keep an item, its `id`); `current` the stage's
    items now. An item sent by a text it already has keeps its id. ValidationFailed on
    `key_actions` when the list cannot be."""
    current = normalized(current or [])
    if not isinstance(raw, list):
        raise ValidationFailed(errors={"key_actions": _("Give a list of items.")})
    if len(raw) > CHECKLIST_LIMIT:
        raise ValidationFailed(
            errors={"key_actions": _("At most %(n)d items.") % {"n": CHECKLIST_LIMIT}}
        )
    by_id = {item["id"]: item for item in current}
    by_text = {item["text"]: item["id"] for item in current}
    taken = set(by_id)
    used: set[str] = set()
    items, texts = [], set()
    for entry in raw:
        parsed = _item_input(entry)
        if isinstance(parsed, str):
            raise ValidationFailed(errors={"key_actions": parsed})
        item_id, text, mandatory = parsed
        if not text or len(text) > ITEM_TEXT_LIMIT:
            raise ValidationFailed(
                errors={
                    "key_actions": _("Each item needs a text of at most %(n)d characters.")
                    % {"n": ITEM_TEXT_LIMIT}
                }
            )
        if text in texts:
            raise ValidationFailed(errors={"key_actions": _("Two items have the same text.")})
        if item_id is not None and item_id not in by_id:
            raise ValidationFailed(
                errors={"key_actions": _("No item %(id)s in this stage.") % {"id": item_id}}
            )
        if item_id is None and by_text.get(text) not in (None, *used):
            item_id = by_text[text]
        if item_id is None or item_id in used:
            item_id = _next_id(taken)
        taken.add(item_id)
        used.add(item_id)
        texts.add(text)
        items.append({"id": item_id, "text": text, "mandatory": mandatory})
    return items


def normalized(items) -> list[dict]:
    """Items in their stored form; texts alone (as stages were kept before) get ids in order."""
    out, taken = [], set()
    for entry in items or []:
        if isinstance(entry, str):
            entry = {"text": entry, "mandatory": False}
        item_id = entry.get("id") or _next_id(taken)
        taken.add(item_id)
        out.append(
            {"id": item_id, "text": entry["text"], "mandatory": bool(entry.get("mandatory"))}
        )
    return out


def mandatory_items(stage: Stage) -> list[dict]:
    return [item for item in normalized(stage.key_actions) if item["mandatory"]]


def ticked_ids(deal: Deal, stage: Stage) -> set[str]:
    return set(
        DealChecklistTick.objects.filter(deal=deal, stage=stage).values_list("item_id", flat=True)
    )


def missing_checklist(deal: Deal, to_stage: Stage) -> list[dict]:
    """The mandatory items of the deal's current stage left unticked, when the deal would
    leave it for `to_stage`: moving to a lost stage is always allowed."""
    if to_stage.kind == StageKind.LOST or to_stage.pk == deal.stage_id:
        return []
    mandatory = mandatory_items(deal.stage)
    if not mandatory:
        return []
    ticked = ticked_ids(deal, deal.stage)
    return [{"id": i["id"], "text": i["text"]} for i in mandatory if i["id"] not in ticked]


def checklist_errors(missing: list[dict], stage: Stage) -> dict:
    return {
        f"checklist.{item['id']}": _("Tick “%(item)s” before the deal leaves “%(stage)s”.")
        % {"item": item["text"], "stage": local_name(stage)}
        for item in missing
    }
