"""Writes for leads: create, update, disqualify, convert."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind
from gendan.activities.notifications import notify_assigned
from gendan.activities.timeline import changes_record, event_record
from gendan.core.contact import check_contact
from gendan.core.errors import Conflict, NotFound, ValidationFailed
from gendan.core.events import emit
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.fields import values as custom_values
from gendan.fields.choices import RecordType
from gendan.history import writes as history
from gendan.leads.choices import LeadStatus
from gendan.leads.duplicates import SOURCE, key_columns, lead_keys
from gendan.leads.models import Lead
from gendan.org import duplicates
from gendan.org.scoping import check_assignable, effective_scope

TRACKED = (
    "name",
    "company",
    "title",
    "phone",
    "email",
    "wechat",
    "source",
    "tags",
    "disqualify_reason",
    "next_follow_up_at",
)


def check_not_in_pool(actor, lead: Lead) -> None:
    """A lead in the public pool is worked on only after someone claims it; managers (team or
    all scope) may still edit or reassign it."""
    if lead.in_pool and effective_scope(actor) == "own":
        raise Conflict(_("This lead is in the public pool: claim it first."))


def _normalise_tags(tags) -> list[str]:
    seen = []
    for tag in tags or []:
        tag = str(tag).strip()
        if tag and tag not in seen:
            seen.append(tag[:40])
    return seen


def _check_contact_point(data: dict) -> None:
    if not (data.get("phone") or data.get("email") or data.get("wechat") or data.get("company")):
        raise ValidationFailed(
            errors={"phone": _("Give at least a phone, an email, a WeChat ID or a company.")}
        )


@transaction.atomic
def lead_create(*, actor, data: dict, duplicates_mode: str = duplicates.BLOCKING) -> Lead:
    """A new lead. The duplicate check (org/duplicates.py) refuses it when a rule blocks (or,
    with `duplicates_mode=ASK`, on any match); the matches that only warn are on the returned
    lead as `lead.duplicates`, for the caller to tell."""
    data = dict(data)
    data["owner_id"] = data.get("owner_id") or actor.pk
    check_assignable(actor, data["owner_id"])
    check_contact(data)
    _check_contact_point(data)
    custom_values.on_create(RecordType.LEAD, data, actor=actor)
    status = data.get("status") or LeadStatus.NEW
    if status == LeadStatus.CONVERTED:
        raise ValidationFailed(errors={"status": _("Convert a lead with the convert action.")})
    if status == LeadStatus.DISQUALIFIED and not data.get("disqualify_reason"):
        raise ValidationFailed(errors={"disqualify_reason": _("Say why the lead is disqualified.")})
    data["tags"] = _normalise_tags(data.get("tags"))
    keys = lead_keys(data)
    found = duplicates.check(actor=actor, source=SOURCE, keys=keys, mode=duplicates_mode)
    lead = Lead.objects.create(**data, **key_columns(keys))
    lead.duplicates = found
    event_record(lead, EventKind.CREATED, actor=actor, data={"source": lead.source})
    notify_assigned(lead, actor=actor)
    emit(lead, "created", source=lead.source)
    return lead


@transaction.atomic
def lead_update(
    *,
    actor,
    lead_id: int,
    data: dict,
    version: int | None = None,
    duplicates_mode: str = duplicates.BLOCKING,
) -> Lead:
    """Change a lead; a changed phone, e-mail or company is checked against the blocking
    duplicate rules (`duplicates_mode=IGNORE` skips it)."""
    lead = lock_for_update(Lead.objects.visible_to(actor), lead_id, expected_version=version)
    check_not_in_pool(actor, lead)
    data = dict(data)
    check_contact(data)
    custom_values.on_update(RecordType.LEAD, lead, data, actor=actor)
    if "owner_id" in data:
        if data["owner_id"] is None:
            raise ValidationFailed(errors={"owner_id": _("A lead must have an owner.")})
        check_assignable(actor, data["owner_id"])
    if "tags" in data:
        data["tags"] = _normalise_tags(data["tags"])
    new_status = data.get("status")
    if new_status and new_status != lead.status:
        if lead.status == LeadStatus.CONVERTED:
            raise Conflict(_("A converted lead cannot change status."))
        if new_status == LeadStatus.CONVERTED:
            raise ValidationFailed(errors={"status": _("Convert a lead with the convert action.")})
        if new_status == LeadStatus.DISQUALIFIED and not (
            data.get("disqualify_reason") or lead.disqualify_reason
        ):
            raise ValidationFailed(
                errors={"disqualify_reason": _("Say why the lead is disqualified.")}
            )
    before = lead_keys(lead)
    changes = apply_changes(lead, data)
    if "owner_id" in changes:
        changes.update(apply_changes(lead, {"owned_since": timezone.now()}))
    merged = {f: getattr(lead, f) for f in ("phone", "email", "wechat", "company")}
    _check_contact_point(merged)
    key_changes = duplicates.keys_changed(
        actor=actor,
        record=lead,
        source=SOURCE,
        keys=lead_keys(lead),
        before=before,
        mode=duplicates_mode,
    )
    save_changes(lead, {**changes, **key_changes})
    changes_record(lead, changes, actor=actor, tracked=TRACKED)
    if "owner_id" in changes:
        notify_assigned(lead, actor=actor)
    emit(lead, "updated", changed=list(changes))
    return lead


@transaction.atomic
def lead_delete(*, actor, lead_id: int) -> None:
    lead = Lead.objects.visible_to(actor).filter(pk=lead_id).first()
    if lead is None:
        raise NotFound()
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict(_("A converted lead is part of a customer's history and is kept."))
    check_not_in_pool(actor, lead)
    lead.delete()


def lead_touch(lead: Lead, *, occurred_at, next_follow_up_at, actor=None) -> None:
    """After a follow-up: first contact, last activity, next follow-up, new → contacted."""
    fields = {}
    if lead.first_contacted_at is None or occurred_at < lead.first_contacted_at:
        fields["first_contacted_at"] = occurred_at
    if lead.last_activity_at is None or occurred_at > lead.last_activity_at:
        fields["last_activity_at"] = occurred_at
    if next_follow_up_at is not None:
        fields["next_follow_up_at"] = next_follow_up_at
    if lead.status == LeadStatus.NEW:
        fields["status"] = LeadStatus.CONTACTED
    if fields:
        # The moments of contact are the follow-ups' own; the rest is the lead's history.
        changes = {
            key: (getattr(lead, key), value)
            for key, value in fields.items()
            if key in ("status", "next_follow_up_at")
        }
        for key, value in fields.items():
            setattr(lead, key, value)
        lead.version += 1
        lead.updated_at = timezone.now()
        Lead.objects.filter(pk=lead.pk).update(
            **fields, version=lead.version, updated_at=lead.updated_at
        )
        history.changes_record(lead, changes, actor=actor, at=lead.updated_at)
    if "status" in fields:
        event_record(
            lead,
            EventKind.STATUS_CHANGED,
            actor=actor,
            at=occurred_at,
            data={"field": "status", "from": LeadStatus.NEW, "to": LeadStatus.CONTACTED},
        )
