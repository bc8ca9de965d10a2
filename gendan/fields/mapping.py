"""Conversion mapping: which lead field fills which custom field of the new customer, contact
and deal when a lead is converted (docs/customization.md, "Carried over on conversion").

A source is a lead's custom field (by key) or one of its built-in fields (`BUILT_IN`); a
target is a custom field of a customer, a contact or a deal. A pair is accepted when the
target can hold the source's values: the same type (choices carried by their value, so the
target needs at least one value in common), or a text target, which takes any value as it is
shown. What is carried is checked again at each conversion with the target's own check, and a
value the target cannot hold is left out rather than written.
"""

from types import SimpleNamespace

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.errors import NotFound, ValidationFailed
from gendan.fields.choices import FieldType, RecordType
from gendan.fields.display import label, shown_value, user_names
from gendan.fields.models import CustomField, FieldMapping
from gendan.fields.selectors import definitions, may_edit, may_see
from gendan.fields.values import TEXT_LIMITS, BadValue, is_empty, stored
from gendan.org.services import require_admin

TARGET_TYPES = (RecordType.CUSTOMER, RecordType.CONTACT, RecordType.DEAL)
# Text targets take any value, as it is shown.
TEXT_TARGETS = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})
CHOICE_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTI_CHOICE})
# The lead's built-in fields that can be carried, with the type of their values.
BUILT_IN = {
    "name": (FieldType.TEXT, gettext_lazy("Name")),
    "company": (FieldType.TEXT, gettext_lazy("Company")),
    "title": (FieldType.TEXT, gettext_lazy("Title")),
    "phone": (FieldType.PHONE, gettext_lazy("Phone")),
    "email": (FieldType.EMAIL, gettext_lazy("E-mail")),
    "wechat": (FieldType.TEXT, gettext_lazy("WeChat")),
    "source": (FieldType.CHOICE, gettext_lazy("Source")),
    "notes": (FieldType.LONG_TEXT, gettext_lazy("Notes")),
}


def _both(text) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return zh, en


def _built_in(name: str) -> CustomField:
    """A built-in lead field, described as a custom field is (never saved)."""
    field_type, text = BUILT_IN[name]
    zh, en = _both(text)
    choices = []
    if field_type == FieldType.CHOICE:
        model_field = apps.get_model("leads.Lead")._meta.get_field(name)
        for value, choice_text in model_field.choices:
            c_zh, c_en = _both(choice_text)
            choices.append({"value": value, "label_zh": c_zh, "label_en": c_en, "color": ""})
    return CustomField(
        record_type=RecordType.LEAD,
        key=name,
        label_zh=zh,
        label_en=en,
        type=field_type,
        choices=choices,
    )


def source_fields() -> dict[str, CustomField]:
    """Every field a mapping can read on a lead: the built-in ones, then the custom ones."""
    fields = {name: _built_in(name) for name in BUILT_IN}
    fields.update({f.key: f for f in definitions(RecordType.LEAD)})
    return fields


def is_built_in(field: CustomField) -> bool:
    return field.pk is None


def incompatibility(source: CustomField, target: CustomField) -> str | None:
    """Why `target` cannot hold the values of `source`, or None when it can."""
    if target.type in TEXT_TARGETS:
        return None
    if source.type != target.type:
        return _(
            "%(source)s (%(source_type)s) cannot fill %(target)s (%(target_type)s): map it to "
            "a field of the same type, or to a text field."
        ) % {
            "source": label(source),
            "source_type": source.get_type_display(),
            "target": label(target),
            "target_type": target.get_type_display(),
        }
    if source.type in CHOICE_TYPES:
        shared = {c["value"] for c in source.choices} & {c["value"] for c in target.choices}
        if not shared:
            return _(
                "No choice of %(target)s has the value of a choice of %(source)s: choices are "
                "carried by their value."
            ) % {"source": label(source), "target": label(target)}
    return None


def mapping_list(*, actor) -> list[FieldMapping]:
    require_admin(actor)
    return list(FieldMapping.objects.all())


@transaction.atomic
def mapping_create(*, actor, data: dict) -> FieldMapping:
    require_admin(actor)
    source_key = (data.get("source_key") or "").strip()
    target_type = data.get("target_type")
    target_key = (data.get("target_key") or "").strip()
    source = source_fields().get(source_key)
    if source is None:
        raise ValidationFailed(errors={"source_key": _("No such lead field.")})
    if target_type not in TARGET_TYPES:
        raise ValidationFailed(errors={"target_type": _("Give customer, contact or deal.")})
    target = next((f for f in definitions(target_type) if f.key == target_key), None)
    if target is None:
        raise ValidationFailed(errors={"target_key": _("No such custom field.")})
    problem = incompatibility(source, target)
    if problem:
        raise ValidationFailed(errors={"target_key": problem})
    if FieldMapping.objects.filter(target_type=target_type, target_key=target_key).exists():
        raise ValidationFailed(errors={"target_key": _("A lead field already fills this field.")})
    try:
        with transaction.atomic():
            return FieldMapping.objects.create(
                source_key=source_key, target_type=target_type, target_key=target_key
            )
    except IntegrityError:
        raise ValidationFailed(
            errors={"target_key": _("A lead field already fills this field.")}
        ) from None


@transaction.atomic
def mapping_delete(*, actor, mapping_id: int) -> None:
    require_admin(actor)
    deleted, _rows = FieldMapping.objects.filter(pk=mapping_id).delete()
    if not deleted:
        raise NotFound()


def mapping_rows(*, actor) -> list[dict]:
    """The mappings with their fields' labels, for the settings page (one query each for the
    mappings; the definitions are kept)."""
    sources = source_fields()
    targets = {t: {f.key: f for f in definitions(t)} for t in TARGET_TYPES}
    rows = []
    for mapping in mapping_list(actor=actor):
        source = sources.get(mapping.source_key)
        target = targets.get(mapping.target_type, {}).get(mapping.target_key)
        rows.append(
            {
                "mapping": mapping,
                "source": label(source) if source else mapping.source_key,
                "target_type": RecordType(mapping.target_type).label,
                "target": label(target) if target else mapping.target_key,
                "broken": source is None or target is None,
            }
        )
    return rows


# Carrying values at a conversion -----------------------------------------------------------


def _raw(lead, source: CustomField):
    if is_built_in(source):
        return getattr(lead, source.key, None)
    return (lead.custom or {}).get(source.key)


def _carried_value(source: CustomField, target: CustomField, raw, names: dict):
    """The source's value in the target's form, or None when the target cannot take it."""
    if is_empty(raw):
        return None
    if target.type in TEXT_TARGETS and source.type not in TEXT_TARGETS:
        raw = shown_value(source, raw, names)["text"]
    if target.type in TEXT_TARGETS and isinstance(raw, str):
        raw = raw.strip()[: TEXT_LIMITS[target.type]]
    if target.type == FieldType.CHOICE and raw not in {c["value"] for c in target.choices}:
        return None
    if target.type == FieldType.MULTI_CHOICE:
        known = {c["value"] for c in target.choices}
        raw = [v for v in raw if v in known] if isinstance(raw, list) else raw
    try:
        return stored(target, raw)
    except BadValue:
        return None


def carried(lead, *, actor) -> dict[str, dict]:
    """`{target type: {key: value}}`: what the mappings carry from `lead` into the new records.
    Only what `actor` may see on the lead and may fill on the target is carried, and only a
    value the target can hold."""
    out = {t: {} for t in TARGET_TYPES}
    mappings = list(FieldMapping.objects.all())
    if not mappings:
        return out
    sources = source_fields()
    targets = {t: {f.key: f for f in definitions(t)} for t in TARGET_TYPES}
    names = user_names(list(sources.values()), [lead])
    for mapping in mappings:
        source = sources.get(mapping.source_key)
        target = targets.get(mapping.target_type, {}).get(mapping.target_key)
        if source is None or target is None or incompatibility(source, target):
            continue
        if not may_see(actor, source) or not may_edit(actor, target):
            continue
        value = _carried_value(source, target, _raw(lead, source), names)
        if value is not None:
            out[mapping.target_type][target.key] = value
    return out


def carried_preview(lead, *, actor, values: dict | None = None) -> list[dict]:
    """What a conversion of `lead` carries, for its dialog: record type, field, value shown
    (`values`: what `carried` answered, when the caller has it already)."""
    values = carried(lead, actor=actor) if values is None else values
    rows = []
    for target_type in TARGET_TYPES:
        fields = [f for f in definitions(target_type) if f.key in values[target_type]]
        records = [SimpleNamespace(custom=values[target_type])]
        names = user_names(fields, records)
        for field in fields:
            shown = shown_value(field, values[target_type][field.key], names)
            rows.append(
                {
                    "target_type": target_type,
                    "key": field.key,
                    "record_type": RecordType(target_type).label,
                    "label": label(field),
                    "text": shown["text"],
                }
            )
    return rows
