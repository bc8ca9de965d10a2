"""Reading the field definitions: every read of a record's values starts here."""

import threading
from contextlib import contextmanager

from gendan.core.errors import NotFound
from gendan.core.kept import changed, kept
from gendan.fields.models import CustomField
from gendan.org.choices import RoleCode

KIND = "custom_fields"


_run = threading.local()


def definitions(record_type: str, *, archived: bool = False) -> list[CustomField]:
    """The fields of a record type in their order (kept in the cache until one changes; in a
    `reading_once` block, read once for the whole block)."""
    memo = getattr(_run, "fields", None)
    fields = memo.get(record_type) if memo is not None else None
    if fields is None:
        fields = kept(KIND, record_type, lambda: _read(record_type), 300)
        if memo is not None:
            memo[record_type] = fields
    return fields if archived else [f for f in fields if f.archived_at is None]


def _read(record_type: str) -> list[CustomField]:
    return list(CustomField.objects.filter(record_type=record_type))


@contextmanager
def reading_once():
    """Within the block, each record type's definitions are read once: the first time they
    are needed (from the cache when no transaction is open). For work that reads them many
    times, some of it inside transactions, where the cache is not read: a rule engine's run
    over many records, each in its own transaction, or a page made of several records' forms.
    A change of the definitions made in the block forgets them (`definitions_changed`).
    Blocks nest: the outermost one keeps the definitions."""
    if getattr(_run, "fields", None) is not None:
        yield
        return
    _run.fields = {}
    try:
        yield
    finally:
        _run.fields = None


def definitions_changed() -> None:
    """Said by every write of a definition: the cache and a run's memo forget them."""
    changed(KIND)
    if getattr(_run, "fields", None) is not None:
        _run.fields = {}


def read_once(request, record_type: str) -> list[CustomField]:
    """The definitions of a record type, read once per request (every part of a page or an
    answer that shows custom values shares them); `request` None: read each time."""
    if request is None:
        return definitions(record_type)
    memo = getattr(request, "_custom_fields", None)
    if memo is None:
        memo = request._custom_fields = {}
    if record_type not in memo:
        memo[record_type] = definitions(record_type)
    return memo[record_type]


def field_list(*, actor, record_type: str | None = None, archived: bool = False) -> list:
    """The definitions: every one for an administrator, the ones a role may see for others."""
    qs = CustomField.objects.all()
    if record_type:
        qs = qs.filter(record_type=record_type)
    if not archived:
        qs = qs.filter(archived_at__isnull=True)
    return [f for f in qs.order_by("record_type", "position", "id") if may_see(actor, f)]


def field_get(*, actor, field_id: int) -> CustomField:
    """One definition; a field the actor may not see answers as if it did not exist."""
    field = CustomField.objects.filter(pk=field_id).first()
    if field is None or not may_see(actor, field):
        raise NotFound()
    return field


def is_admin(user) -> bool:
    return bool(user is not None and getattr(user, "is_admin", False))


def may_see(user, field: CustomField) -> bool:
    """Whether `user` may read the field's values (no user: the system, which may)."""
    if user is None or is_admin(user) or not field.visible_to:
        return True
    return getattr(user, "role_code", None) in field.visible_to


def may_edit(user, field: CustomField) -> bool:
    if not may_see(user, field):
        return False
    if user is None or is_admin(user) or not field.editable_by:
        return True
    return getattr(user, "role_code", None) in field.editable_by


def visible_definitions(user, record_type: str) -> list[CustomField]:
    return [f for f in definitions(record_type) if may_see(user, f)]


ROLE_CODES = tuple(RoleCode.values)
