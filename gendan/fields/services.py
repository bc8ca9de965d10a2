"""Writes of field definitions: only an administrator shapes the records."""

import re

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.errors import Conflict, NotFound, ValidationFailed
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.fields import indexes
from gendan.fields.choices import RECORD_MODELS, FieldType, RecordType
from gendan.fields.expressions import CustomValue
from gendan.fields.models import CustomField
from gendan.fields.selectors import ROLE_CODES, definitions_changed
from gendan.fields.tasks import field_index_build
from gendan.fields.values import BadValue, stored
from gendan.org.services import require_admin

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTI_CHOICE)
MAX_FIELDS = 100  # per record type, archived ones included
CARD_LIMIT = 3  # fields on a board card


def _check_key(record_type: str, key: str) -> None:
    if not KEY.match(key or ""):
        raise ValidationFailed(
            errors={"key": _("Lower-case letters, digits and _, starting with a letter.")}
        )
    model = apps.get_model(RECORD_MODELS[record_type])
    built_in = {f.name for f in model._meta.get_fields()} | {
        f.attname for f in model._meta.concrete_fields
    }
    if key in built_in:
        raise ValidationFailed(errors={"key": _("A built-in field has this name.")})
    if CustomField.objects.filter(record_type=record_type, key=key).exists():
        raise ValidationFailed(
            errors={"key": _("This record type already has a field %(key)s.") % {"key": key}}
        )


def _clean_choices(field_type: str, choices) -> list[dict]:
    if field_type not in CHOICE_TYPES:
        if choices:
            raise ValidationFailed(errors={"choices": _("Only choice fields have choices.")})
        return []
    if not choices:
        raise ValidationFailed(errors={"choices": _("Give at least one choice.")})
    errors, seen, clean = {}, set(), []
    for n, choice in enumerate(choices):
        value = str(choice.get("value") or "")
        if not KEY.match(value):
            errors[f"choices.{n}.value"] = _(
                "Lower-case letters, digits and _, starting with a letter."
            )
        elif value in seen:
            errors[f"choices.{n}.value"] = _("Each choice needs its own value.")
        if not (choice.get("label_zh") or choice.get("label_en")):
            errors[f"choices.{n}.label_zh"] = _("Give a label.")
        color = choice.get("color") or "#8a94a6"
        if not COLOR.match(color):
            errors[f"choices.{n}.color"] = _("A colour as #rrggbb.")
        seen.add(value)
        label_zh = (choice.get("label_zh") or choice.get("label_en") or "").strip()
        label_en = (choice.get("label_en") or choice.get("label_zh") or "").strip()
        clean.append({"value": value, "label_zh": label_zh, "label_en": label_en, "color": color})
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def _check_roles(data: dict) -> None:
    for name in ("visible_to", "editable_by"):
        unknown = [r for r in data.get(name) or [] if r not in ROLE_CODES]
        if unknown:
            raise ValidationFailed(
                errors={name: _("No such role: %(roles)s.") % {"roles": ", ".join(unknown)}}
            )


def _check_default(field: CustomField) -> None:
    if field.default is None:
        return
    try:
        field.default = stored(field, field.default)
    except BadValue as exc:
        raise ValidationFailed(errors={"default": str(exc)}) from None


def _labels(data: dict) -> None:
    zh, en = (data.get("label_zh") or "").strip(), (data.get("label_en") or "").strip()
    if "label_zh" in data or "label_en" in data:
        if not (zh or en):
            raise ValidationFailed(errors={"label_zh": _("Give a label.")})
        data["label_zh"], data["label_en"] = zh or en, en or zh


def _check_card(field: CustomField) -> None:
    """Only deals have cards, and a card shows at most CARD_LIMIT fields."""
    if not field.on_card:
        return
    if field.record_type != RecordType.DEAL:
        raise ValidationFailed(errors={"on_card": _("Only deals show fields on the board.")})
    others = CustomField.objects.filter(
        record_type=field.record_type, on_card=True, archived_at__isnull=True
    ).exclude(pk=field.pk)
    if others.count() >= CARD_LIMIT:
        raise ValidationFailed(
            errors={"on_card": _("A card shows at most %(n)d fields.") % {"n": CARD_LIMIT}}
        )


@transaction.atomic
def field_create(*, actor, data: dict) -> CustomField:
    require_admin(actor)
    data = dict(data)
    record_type, field_type = data.get("record_type"), data.get("type")
    if record_type not in RECORD_MODELS:
        raise ValidationFailed(errors={"record_type": _("No such record type.")})
    if field_type not in FieldType.values:
        raise ValidationFailed(errors={"type": _("No such field type.")})
    _check_key(record_type, data.get("key", ""))
    if CustomField.objects.filter(record_type=record_type).count() >= MAX_FIELDS:
        raise Conflict(_("A record type has at most %(n)d fields.") % {"n": MAX_FIELDS})
    _labels(data)
    _check_roles(data)
    data["choices"] = _clean_choices(field_type, data.get("choices"))
    if data.get("position") is None:
        data["position"] = CustomField.objects.filter(record_type=record_type).count() + 1
    field = CustomField(**data)
    _check_default(field)
    _check_card(field)
    field.save()
    definitions_changed()
    transaction.on_commit(lambda: field_index_build(record_type, field.key, field_type))
    return field


@transaction.atomic
def field_update(*, actor, field_id: int, data: dict, version: int | None = None) -> CustomField:
    require_admin(actor)
    field = lock_for_update(CustomField.objects.all(), field_id, expected_version=version)
    data = dict(data)
    for fixed in ("record_type", "key", "type"):
        if fixed in data and data[fixed] != getattr(field, fixed):
            raise ValidationFailed(errors={fixed: _("This cannot change once the field exists.")})
        data.pop(fixed, None)
    _labels(data)
    _check_roles(data)
    if "choices" in data:
        data["choices"] = _clean_choices(field.type, data["choices"])
        _check_choices_kept(field, data["choices"])
    changes = apply_changes(field, data)
    _check_default(field)
    _check_card(field)
    if "default" in changes:
        changes["default"] = (changes["default"][0], field.default)
    save_changes(field, changes)
    definitions_changed()
    return field


def _check_choices_kept(field: CustomField, choices: list[dict]) -> None:
    """A choice that records hold cannot go (rename its labels instead)."""
    kept_values = {c["value"] for c in choices}
    model = apps.get_model(RECORD_MODELS[field.record_type])
    # The same expression as the lists' filters, so the field's index answers.
    holders = model.objects.alias(held=CustomValue(field.key, field.type))
    for choice in field.choices:
        value = choice["value"]
        if value in kept_values:
            continue
        if field.type == FieldType.CHOICE:
            used = holders.filter(held=value).exists()
        else:
            # A multiple choice holds a list of plain values (a value is a key: no escaping).
            used = holders.filter(held__contains=f'"{value}"').exists()
        if used:
            raise ValidationFailed(
                errors={
                    "choices": _("Records hold the choice %(value)s: keep it, or rename it.")
                    % {"value": value}
                }
            )


@transaction.atomic
def field_archive(*, actor, field_id: int, archived: bool = True) -> CustomField:
    """Hide a field (its values are kept) or bring it back."""
    require_admin(actor)
    field = lock_for_update(CustomField.objects.all(), field_id, expected_version=None)
    field.archived_at = timezone.now() if archived else None
    field.version += 1
    field.save(update_fields=["archived_at", "version", "updated_at"])
    definitions_changed()
    return field


@transaction.atomic
def field_delete(*, actor, field_id: int, confirm: str = "") -> int:
    """Delete an archived field and its values from every record: only when `confirm` repeats
    its key. The number of records that held a value."""
    require_admin(actor)
    field = CustomField.objects.select_for_update().filter(pk=field_id).first()
    if field is None:
        raise NotFound()
    if field.archived_at is None:
        raise Conflict(_("Archive the field before deleting it."))
    if confirm != field.key:
        raise ValidationFailed(errors={"confirm": _("Type the field's key to delete it.")})
    removed = indexes.remove_values(field.record_type, field.key)
    indexes.drop_index(field.record_type, field.key)
    field.delete()
    definitions_changed()
    return removed
