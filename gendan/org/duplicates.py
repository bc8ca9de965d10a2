"""The duplicate check (查重): the rules an administrator sets, and the matches of a record.

A record is compared with every record of its type in the organisation on its match keys
(`core/match_keys.py`), whoever owns them: a duplicate outside the actor's scope is a duplicate
all the same. What the actor learns of it depends on the scope: a match they may see comes with
its id and name; one they may not see comes with its owner's name only (who to talk to), and
nothing else of the record.

Each domain names its records as a `Source` (`leads/duplicates.py`,
`customers/duplicates.py`); its services call `check` before they write.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.errors import DuplicatesFound, PermissionDenied, ValidationFailed
from gendan.org.choices import DUPLICATE_FIELDS, DuplicateAction
from gendan.org.models import DuplicateRule
from gendan.org.people import person_name
from gendan.org.permissions import can

# How a service treats the matches it finds (its `duplicates_mode` argument):
ASK = "ask"  # every match refuses the write, so the person sees them first (a form's first save)
BLOCKING = "blocking"  # only the fields whose rule blocks refuse; warnings ride along
IGNORE = "ignore"  # no check (a visitor's form submission, merged by its own rule)
MODES = (ASK, BLOCKING, IGNORE)

# The matches named per field: enough to decide, bounded whatever the data.
MATCH_LIMIT = 5


@dataclass(frozen=True)
class Source:
    """A record type as the check reads it: its model, the column of each field's key, the
    path to the owner and the column of the name shown."""

    record_type: str
    model: type
    keys: dict[str, str]
    owner: str = "owner"
    name: str = "name"
    extra: tuple[str, ...] = ()  # more columns a match of it shows


@dataclass(frozen=True)
class Match:
    record_type: str
    field: str
    action: str
    owner_name: str
    id: int | None = None  # None: outside the actor's scope, only the owner is told
    name: str = ""
    detail: str = ""  # a lead's company, a contact's customer

    @property
    def visible(self) -> bool:
        return self.id is not None

    def as_dict(self) -> dict:
        return {
            "record_type": self.record_type,
            "field": self.field,
            "action": self.action,
            "owner_name": self.owner_name,
            "visible": self.visible,
            "id": self.id,
            "name": self.name if self.visible else None,
            "detail": self.detail if self.visible else None,
        }


# Rules --------------------------------------------------------------------------------------


def rules() -> dict[str, dict[str, str]]:
    """{record type: {field: action}} for every field the check compares; unset → warn."""
    stored = {(r.record_type, r.field): r.action for r in DuplicateRule.objects.all()}
    return {
        record: {f: stored.get((record, f), DuplicateAction.WARN) for f in fields}
        for record, fields in DUPLICATE_FIELDS.items()
    }


def rules_for(record_type: str) -> dict[str, str]:
    stored = dict(
        DuplicateRule.objects.filter(record_type=record_type).values_list("field", "action")
    )
    return {f: stored.get(f, DuplicateAction.WARN) for f in DUPLICATE_FIELDS[record_type]}


@transaction.atomic
def rules_set(*, actor, changes: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Set the action of some fields: {record type: {field: action}}. Administrators only."""
    if not can(actor, "manage_duplicates"):
        raise PermissionDenied(_("Only administrators can change the duplicate check."))
    errors = {}
    for record, fields in changes.items():
        known = DUPLICATE_FIELDS.get(record)
        if known is None:
            errors[record] = _("Unknown record type.")
            continue
        for name, action in fields.items():
            if name not in known:
                errors[f"{record}.{name}"] = _("This record is not compared on this field.")
            elif action not in DuplicateAction.values:
                errors[f"{record}.{name}"] = _("Choose off, warn or block.")
    if errors:
        raise ValidationFailed(errors=errors)
    for record, fields in changes.items():
        for name, action in fields.items():
            DuplicateRule.objects.update_or_create(
                record_type=record, field=name, defaults={"action": action}
            )
    return rules()


# Matches ------------------------------------------------------------------------------------


def owner_columns(source: Source) -> list[str]:
    return [f"{source.owner}__{c}" for c in ("username", "display_name", "first_name", "last_name")]


def matches(
    *, actor, source: Source, keys: dict[str, str], actions: dict[str, str], exclude_id=None
) -> list[Match]:
    """The records with the same key as `keys` on each field whose action is not off: one query
    per field, one for the scope."""
    found = []
    model = source.model
    owner_names = owner_columns(source)
    for name, key in keys.items():
        action = actions.get(name, DuplicateAction.OFF)
        if not key or action == DuplicateAction.OFF:
            continue
        rows = model.objects.filter(**{source.keys[name]: key}).order_by("-pk")
        if exclude_id is not None:
            rows = rows.exclude(pk=exclude_id)
        columns = ("pk", source.name, *source.extra, *owner_names)
        for row in rows.values_list(*columns)[:MATCH_LIMIT]:
            found.append((name, action, row))
    if not found:
        return []
    ids = {row[0] for _n, _a, row in found}
    visible = set(
        model.objects.visible_to(actor, per_row=True)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    result = []
    for name, action, (pk, label, *rest) in found:
        extra, owner = rest[: len(source.extra)], rest[len(source.extra) :]
        shown = pk in visible
        result.append(
            Match(
                record_type=source.record_type,
                field=name,
                action=action,
                owner_name=person_name(*owner),
                id=pk if shown else None,
                name=label if shown else "",
                detail=" ".join(str(e) for e in extra if e) if shown else "",
            )
        )
    return result


def check(*, actor, source: Source, keys: dict[str, str], mode: str, exclude_id=None) -> list:
    """The matches of a record about to be written. Refuses (`DuplicatesFound`, 409) when a
    field's rule blocks, or, in the ASK mode, when there is any match at all. The matches that
    only warn are returned, for the caller to tell."""
    if mode not in MODES:
        raise ValueError(mode)
    if mode == IGNORE or not any(keys.values()):
        return []
    actions = rules_for(source.record_type)
    found = matches(actor=actor, source=source, keys=keys, actions=actions, exclude_id=exclude_id)
    blocked = any(m.action == DuplicateAction.BLOCK for m in found)
    if blocked or (found and mode == ASK):
        raise DuplicatesFound(matches=[m.as_dict() for m in found], blocked=blocked)
    return found


def keys_changed(*, actor, record, source: Source, keys: dict, before: dict, mode: str) -> dict:
    """On an update: check the match keys that change (against the blocking rules only, unless
    `mode` is IGNORE), set them on `record`, and return {column: (old, new)} of those to save
    with its other changes."""
    if keys == before:
        return {}
    if mode != IGNORE:
        changed = {name: key for name, key in keys.items() if key != before.get(name)}
        check(actor=actor, source=source, keys=changed, mode=BLOCKING, exclude_id=record.pk)
    columns = {}
    for name, key in keys.items():
        column = source.keys[name]
        if getattr(record, column) != key:
            columns[column] = (getattr(record, column), key)
            setattr(record, column, key)
    return columns


def form_mode(confirmed: bool) -> str:
    """The mode of a form's save: ASK first, so the person sees the matches; BLOCKING once
    they said "save anyway" (a blocking rule still refuses)."""
    return BLOCKING if confirmed else ASK
