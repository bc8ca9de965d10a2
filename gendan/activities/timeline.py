"""Writing timeline events: called by every service that changes a lead, customer or deal."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from gendan.activities.choices import EventKind, SubjectType
from gendan.activities.models import TimelineEvent
from gendan.fields.values import changes as custom_changes
from gendan.history import writes as history
from gendan.org.models import User
from gendan.org.system import recorded_actor


def subject_type_of(subject: models.Model) -> str:
    return SubjectType(subject._meta.model_name)


def subject_fields(subject: models.Model) -> dict:
    kind = subject_type_of(subject)
    return {"subject_type": kind, kind: subject}


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def event_build(subject, kind: str, *, actor=None, data=None, at=None, **links) -> TimelineEvent:
    return TimelineEvent(
        **subject_fields(subject),
        kind=kind,
        actor=recorded_actor(actor),
        occurred_at=at or timezone.now(),
        data={key: _jsonable(value) for key, value in (data or {}).items()},
        **links,
    )


def event_record(subject, kind: str, **kwargs) -> TimelineEvent:
    event = event_build(subject, kind, **kwargs)
    event.save()
    return event


# Fields whose changes get their own event kind; other tracked changes are "updated".
_CHANGE_KINDS = {
    "owner_id": EventKind.OWNER_CHANGED,
    "amount": EventKind.AMOUNT_CHANGED,
    "status": EventKind.STATUS_CHANGED,
}


def changes_record(subject, changes: dict, *, actor, tracked: tuple[str, ...] = ()) -> None:
    """One event per significant change (owner, amount, status), one for the rest; and the
    field history of every field the write changed (`history.writes`)."""
    history.changes_record(subject, changes, actor=actor)
    events = []
    rest = {}
    for field, (old, new) in changes.items():
        if field == "custom":
            # Each custom field a change of its own: `custom.<key>`, old → new.
            for key, (was, now) in custom_changes(old, new).items():
                rest[key] = {"from": _jsonable(was), "to": _jsonable(now)}
            continue
        kind = _CHANGE_KINDS.get(field)
        if kind:
            data = {"field": field, "from": old, "to": new}
            if field == "owner_id":
                data.update(_owner_names(old, new))
            events.append(event_build(subject, kind, actor=actor, data=data))
        elif field in tracked:
            rest[field] = {"from": _jsonable(old), "to": _jsonable(new)}
    if rest:
        events.append(event_build(subject, EventKind.UPDATED, actor=actor, data={"fields": rest}))
    TimelineEvent.objects.bulk_create(events)


def _owner_names(old_id, new_id) -> dict:
    """The names of both owners, kept on the event so the timeline reads without lookups."""
    names = {u.pk: u.name for u in User.objects.filter(pk__in=[old_id, new_id])}
    return {"from_name": names.get(old_id, ""), "to_name": names.get(new_id, "")}
