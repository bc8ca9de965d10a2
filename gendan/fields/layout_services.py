"""Writes of layouts: only an administrator lays out the records' forms and pages."""

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.errors import NotFound, ValidationFailed
from gendan.core.kept import changed
from gendan.core.versioning import lock_for_update
from gendan.fields.layouts import (
    CUSTOM,
    KIND,
    built_in_names,
    check_target,
    hideable,
    layout_for,
)
from gendan.fields.models import CustomField, Layout
from gendan.org.services import require_admin

MAX_SECTIONS = 20
LABEL_MAX = 80


def _known_names(record_type: str) -> set[str]:
    keys = CustomField.objects.filter(record_type=record_type).values_list("key", flat=True)
    return set(built_in_names(record_type)) | {CUSTOM + k for k in keys}


def _clean_sections(sections, known: set[str]) -> list[dict]:
    if not isinstance(sections, list):
        raise ValidationFailed(errors={"sections": _("Give a list of sections.")})
    if len(sections) > MAX_SECTIONS:
        raise ValidationFailed(
            errors={"sections": _("At most %(n)d sections.") % {"n": MAX_SECTIONS}}
        )
    errors, seen, clean = {}, set(), []
    for n, section in enumerate(sections):
        if not isinstance(section, dict):
            errors[f"sections.{n}"] = _("Give a section as an object.")
            continue
        zh = str(section.get("label_zh") or "").strip()
        en = str(section.get("label_en") or "").strip()
        if not (zh or en):
            errors[f"sections.{n}.label_zh"] = _("Give a label.")
        elif len(zh) > LABEL_MAX or len(en) > LABEL_MAX:
            errors[f"sections.{n}.label_zh"] = _("At most %(n)d characters.") % {"n": LABEL_MAX}
        fields = section.get("fields") or []
        if not isinstance(fields, list):
            errors[f"sections.{n}.fields"] = _("Give a list of field names.")
            fields = []
        for m, name in enumerate(fields):
            where = f"sections.{n}.fields.{m}"
            if name not in known:
                errors[where] = _("Unknown field: %(name)s.") % {"name": name}
            elif name in seen:
                errors[where] = _("The field %(name)s is in two places.") % {"name": name}
            seen.add(name)
        clean.append({"label_zh": zh or en, "label_en": en or zh, "fields": list(fields)})
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def _clean_hidden(record_type: str, hidden, known: set[str]) -> list[str]:
    if not isinstance(hidden, list):
        raise ValidationFailed(errors={"hidden": _("Give a list of field names.")})
    may_hide = set(hideable(record_type))
    errors, seen = {}, set()
    for n, name in enumerate(hidden):
        where = f"hidden.{n}"
        if name not in known:
            errors[where] = _("Unknown field: %(name)s.") % {"name": name}
        elif name in seen:
            errors[where] = _("The field %(name)s is listed twice.") % {"name": name}
        elif not name.startswith(CUSTOM) and name not in may_hide:
            errors[where] = _("The field %(name)s is needed and cannot be hidden.") % {"name": name}
        seen.add(name)
    if errors:
        raise ValidationFailed(errors=errors)
    return sorted(seen)


@transaction.atomic
def layout_save(
    *,
    actor,
    record_type: str,
    pipeline_id: int | None = None,
    sections: list,
    hidden: list,
    version: int | None = None,
) -> Layout:
    """Save a record type's layout (for deals, optionally a pipeline's own): its sections in
    order, each with a label and its fields in order, and the hidden fields. A field no section
    places shows in a last default section; a hidden field keeps its place for when it is
    shown again."""
    require_admin(actor)
    check_target(record_type, pipeline_id)
    known = _known_names(record_type)
    clean_sections = _clean_sections(sections, known)
    clean_hidden = _clean_hidden(record_type, hidden, known)
    existing = Layout.objects.filter(record_type=record_type, pipeline_id=pipeline_id).first()
    if existing is None:
        layout = Layout.objects.create(
            record_type=record_type,
            pipeline_id=pipeline_id,
            sections=clean_sections,
            hidden=clean_hidden,
        )
    else:
        layout = lock_for_update(Layout.objects.all(), existing.pk, expected_version=version)
        layout.sections, layout.hidden = clean_sections, clean_hidden
        layout.version += 1
        layout.save(update_fields=["sections", "hidden", "version", "updated_at"])
    changed(KIND)
    return layout


@transaction.atomic
def layout_reset(*, actor, record_type: str, pipeline_id: int | None = None) -> None:
    """Remove a saved layout: the record type's forms go back to the fields' own order (a
    pipeline's, to the deals' layout)."""
    require_admin(actor)
    check_target(record_type, pipeline_id)
    deleted, _rows = Layout.objects.filter(
        record_type=record_type, pipeline_id=pipeline_id
    ).delete()
    if not deleted:
        raise NotFound()
    changed(KIND)


def layout_edit(*, actor, record_type: str, pipeline_id: int | None = None, change) -> Layout:
    """Change the layout in effect with `change(data)` (a function that edits the dict of
    `sections` and `hidden` in place) and save it: the settings page's small steps (a new
    section, a field moved up). A pipeline without its own layout starts from the deals'."""
    current = layout_for(record_type, pipeline_id)
    data = current.as_data()
    change(data)
    version = current.version if current.for_pipeline == pipeline_id else None
    return layout_save(
        actor=actor,
        record_type=record_type,
        pipeline_id=pipeline_id,
        sections=data["sections"],
        hidden=data["hidden"],
        version=version,
    )
