"""A visitor sends a public form: the lead it makes, or the one it completes.

Everything is written as the system (`org.system.system_actor()`) through the leads service,
so the lead is made exactly as any other: its timeline, its owner's notification and the
`created` event, after which the assignment rules give it to someone. A visitor who sends a
form again within a day (the same phone number or e-mail address, on any form) completes the
lead made the first time (its empty fields) and adds a timeline entry with what was sent.
The lead a submission makes is linked to its form (`CapturedLead`) in the same transaction;
the page's stamp is used up in it too (capture/stamps.py).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.timeline import event_record
from gendan.capture import fields as form_fields
from gendan.capture import stamps
from gendan.capture.models import CapturedLead, ContactKey, LeadForm
from gendan.core.contact import email_problem, phone_problem
from gendan.core.errors import NotFound, ValidationFailed
from gendan.fields.choices import FieldType
from gendan.fields.values import BadValue, stored
from gendan.leads import services as lead_services
from gendan.leads.models import Lead
from gendan.org.system import system_actor

SAME_PERSON_WINDOW = timedelta(hours=24)
CHECKS = {"phone": phone_problem, "email": email_problem}


@dataclass
class Submitted:
    lead: Lead | None  # None when the honeypot was filled: nothing was written
    merged: bool = False


def normalised_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("00861"):
        digits = digits[4:]
    return digits


def contact_keys(values: dict) -> list[str]:
    keys = []
    phone = normalised_phone(values.get("phone", ""))
    if len(phone) >= 5:
        keys.append(f"phone:{phone}")
    email = (values.get("email") or "").strip().lower()
    if email:
        keys.append(f"email:{email}"[:300])
    return sorted(keys)


def _built_in(name: str, raw) -> str:
    value = raw.strip() if isinstance(raw, str) else ""
    limit = form_fields.BUILT_IN[name][1]
    if len(value) > limit:
        raise BadValue(_("At most %(n)d characters.") % {"n": limit})
    problem = CHECKS.get(name)
    message = problem(value) if problem else None
    if message:
        raise BadValue(message)
    return value


def _custom(field, raw):
    if field.type == FieldType.BOOLEAN:
        raw = raw in (True, "on", "true", "1") or None
    return stored(field, raw)


def clean_values(form: LeadForm, sent: dict) -> tuple[dict, dict]:
    """(built-in values, custom values) of the fields the form shows; anything else sent is
    left out. ValidationFailed, a message per field, when a value is missing or wrong."""
    custom_fields = form_fields.custom_fields()
    built_in, custom, errors = {}, {}, {}
    for entry in form.fields:
        name = entry["field"]
        raw = sent.get(name)
        try:
            if name.startswith(form_fields.CUSTOM):
                field = custom_fields.get(name.removeprefix(form_fields.CUSTOM))
                if field is None:  # archived since the form was made: no longer shown
                    continue
                value = _custom(field, raw)
                required = entry["required"] or field.required
                if value is not None:
                    custom[field.key] = value
            else:
                value = _built_in(name, raw) or None
                required = entry["required"]
                if value is not None:
                    built_in[name] = value
        except BadValue as exc:
            errors[name] = str(exc)
            continue
        if required and value is None:
            errors[name] = _("This field is required.")
    if not errors and not any(built_in.get(n) for n in form_fields.CONTACT_POINTS):
        shown = [e["field"] for e in form.fields if e["field"] in form_fields.CONTACT_POINTS]
        errors[shown[0] if shown else "name"] = _(
            "Give at least a phone, an email, a WeChat ID or a company."
        )
    if errors:
        raise ValidationFailed(errors=errors)
    return built_in, custom


def _same_person(keys: list[str], now) -> tuple[list[ContactKey], Lead | None]:
    """The key rows, locked, and the lead a form made for one of them within the window."""
    for key in keys:
        ContactKey.objects.get_or_create(key=key)
    rows = list(ContactKey.objects.select_for_update().filter(key__in=keys).order_by("key"))
    recent = [
        r
        for r in rows
        if r.lead_id and r.lead_created_at and r.lead_created_at >= now - SAME_PERSON_WINDOW
    ]
    recent.sort(key=lambda r: r.lead_created_at, reverse=True)
    for row in recent:
        lead = Lead.objects.filter(pk=row.lead_id).first()
        if lead is not None:
            return rows, lead
    return rows, None


def _complete(form: LeadForm, lead: Lead, built_in: dict, custom: dict) -> Lead:
    """Fill what the lead lacks (nothing it has is overwritten), then say it was sent again."""
    fills = {name: value for name, value in built_in.items() if not getattr(lead, name)}
    missing = {key: value for key, value in custom.items() if key not in (lead.custom or {})}
    if missing:
        fills["custom"] = missing
    if fills:
        lead = lead_services.lead_update(actor=system_actor(), lead_id=lead.pk, data=fills)
    event_record(
        lead,
        EventKind.FORM_SUBMITTED,
        actor=None,
        data={"name": form.name, "form_id": form.pk, "values": {**built_in, **custom}},
    )
    return lead


@transaction.atomic
def form_submit(
    *, token: str, values: dict, honeypot: str = "", stamp: str | None = None
) -> Submitted:
    """Send the public form `token` with `values` (field name → what the visitor typed).

    `stamp` is the one its page carried: StampExpired when it is not a recent stamp of this
    form, StampUsed when a submission used it already. None only where no visitor's page is
    involved (the demo loader)."""
    form = (
        LeadForm.objects.select_for_update()
        .filter(token=token or "", is_active=True, archived_at__isnull=True)
        .first()
    )
    if form is None:
        raise NotFound()
    if stamp is not None:
        stamps.stamp_use(stamp=stamp, token=form.token)
    if honeypot:
        return Submitted(lead=None)  # a robot: it is thanked, and nothing is kept
    built_in, custom = clean_values(form, values)
    now = timezone.now()
    keys = contact_keys(built_in)
    rows, lead = _same_person(keys, now) if keys else ([], None)
    merged = lead is not None
    if merged:
        lead = _complete(form, lead, built_in, custom)
    else:
        data = {
            **built_in,
            "custom": custom,
            "source": form.source,
            "tags": list(form.tags),
            "owner_id": form.owner_id,
        }
        lead = lead_services.lead_create(actor=system_actor(), data=data)
        CapturedLead.objects.create(lead=lead, form=form, created_at=lead.created_at)
    ContactKey.objects.filter(pk__in=[r.pk for r in rows]).update(
        lead=lead, lead_created_at=lead.created_at
    )
    LeadForm.objects.filter(pk=form.pk).update(submissions_count=F("submissions_count") + 1)
    return Submitted(lead=lead, merged=merged)
