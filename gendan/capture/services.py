"""Writes of lead forms: only an administrator publishes, changes and archives them."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.capture import fields as form_fields
from gendan.capture.models import LeadForm
from gendan.core.contact import url_problem
from gendan.core.errors import ValidationFailed
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.leads.choices import LeadSource
from gendan.org.models import User
from gendan.org.services import require_admin

EDITABLE = (
    "name",
    "is_active",
    "fields",
    "source",
    "tags",
    "owner_id",
    "title_zh",
    "title_en",
    "thanks_zh",
    "thanks_en",
    "redirect_url",
)
LABEL_LENGTH = 80


def new_token() -> str:
    """32 URL-safe characters: 192 random bits."""
    return secrets.token_urlsafe(24)


def _clean_entry(n: int, entry, custom: dict, seen: set) -> tuple[dict | None, dict]:
    errors = {}
    if not isinstance(entry, dict):
        return None, {f"fields.{n}": _("Give the field and whether it is required.")}
    name = str(entry.get("field") or "")
    known = name in form_fields.BUILT_IN or (
        name.startswith(form_fields.CUSTOM) and name.removeprefix(form_fields.CUSTOM) in custom
    )
    if not known:
        errors[f"fields.{n}.field"] = _("No such lead field.")
    elif name in seen:
        errors[f"fields.{n}.field"] = _("Each field shows once.")
    seen.add(name)
    clean = {"field": name, "required": bool(entry.get("required")) or name == "name"}
    for label in ("label_zh", "label_en"):
        text = str(entry.get(label) or "").strip()
        if len(text) > LABEL_LENGTH:
            errors[f"fields.{n}.{label}"] = _("At most %(n)d characters.") % {"n": LABEL_LENGTH}
        clean[label] = text
    return clean, errors


def clean_fields(entries) -> list[dict]:
    """The fields a form shows, in order; the name always (a lead has one), and at least one
    way to reach the person."""
    if not isinstance(entries, list) or not entries:
        raise ValidationFailed(errors={"fields": _("Choose the fields the form shows.")})
    if len(entries) > form_fields.MAX_FIELDS:
        raise ValidationFailed(
            errors={
                "fields": _("A form shows at most %(n)d fields.") % {"n": form_fields.MAX_FIELDS}
            }
        )
    custom, seen, clean, errors = form_fields.custom_fields(), set(), [], {}
    for n, entry in enumerate(entries):
        item, problems = _clean_entry(n, entry, custom, seen)
        errors.update(problems)
        if item is not None:
            clean.append(item)
    if errors:
        raise ValidationFailed(errors=errors)
    if "name" not in seen:
        raise ValidationFailed(errors={"fields": _("A form asks for the name.")})
    if not seen & set(form_fields.CONTACT_POINTS):
        raise ValidationFailed(
            errors={"fields": _("A form asks for a phone, an email, a WeChat ID or a company.")}
        )
    return clean


def _clean(data: dict) -> dict:
    data = {key: value for key, value in data.items() if key in EDITABLE}
    errors = {}
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            errors["name"] = _("Give the form a name.")
    if "source" in data and data["source"] not in LeadSource.values:
        errors["source"] = _("No such source.")
    if (
        "owner_id" in data
        and not User.objects.filter(pk=data["owner_id"] or 0, is_active=True).exists()
    ):
        errors["owner_id"] = _("Choose an active user.")
    if data.get("redirect_url"):
        data["redirect_url"] = data["redirect_url"].strip()
        problem = url_problem(data["redirect_url"])
        if problem or not data["redirect_url"].startswith(("https://", "http://")):
            errors["redirect_url"] = problem or _("Start the address with https://.")
    if "tags" in data:
        tags = []
        for tag in data["tags"] or []:
            tag = str(tag).strip()[:40]
            if tag and tag not in tags:
                tags.append(tag)
        data["tags"] = tags
    for name in ("title_zh", "title_en", "thanks_zh", "thanks_en"):
        if name in data:
            data[name] = (data[name] or "").strip()
    if errors:
        raise ValidationFailed(errors=errors)
    if "fields" in data:
        data["fields"] = clean_fields(data["fields"])
    return data


@transaction.atomic
def form_create(*, actor, data: dict) -> LeadForm:
    require_admin(actor)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(errors={name: _("Unknown field.") for name in sorted(unknown)})
    data = {"source": LeadSource.WEB_FORM, "fields": None, **data}
    for name in ("name", "owner_id", "fields"):
        data.setdefault(name, None)
    data = _clean(data)
    return LeadForm.objects.create(**data, token=new_token())


@transaction.atomic
def form_update(*, actor, form_id: int, data: dict, version: int | None = None) -> LeadForm:
    require_admin(actor)
    form = lock_for_update(LeadForm.objects.all(), form_id, expected_version=version)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(errors={name: _("Unknown field.") for name in sorted(unknown)})
    changes = apply_changes(form, _clean(dict(data)))
    save_changes(form, changes)
    return form


@transaction.atomic
def form_archive(*, actor, form_id: int, archived: bool = True) -> LeadForm:
    """An archived form answers 404 at its address and keeps its leads; restoring brings it
    back at the same address."""
    require_admin(actor)
    form = lock_for_update(LeadForm.objects.all(), form_id, expected_version=None)
    form.archived_at = timezone.now() if archived else None
    form.version += 1
    form.save(update_fields=["archived_at", "version", "updated_at"])
    return form


@transaction.atomic
def form_regenerate_token(*, actor, form_id: int) -> LeadForm:
    """A new public address: the old one, and every page that embeds it, stops answering."""
    require_admin(actor)
    form = lock_for_update(LeadForm.objects.all(), form_id, expected_version=None)
    form.token = new_token()
    form.version += 1
    form.save(update_fields=["token", "version", "updated_at"])
    return form
