"""The administrators' audit log: sign-ins, API tokens, exports, role and user changes.

Each act is one `AuditEntry` row, written by the code that does the act (the login views and
the token service, the exports, the role and user services, the admin site), in the act's own
transaction where it has one. A failed sign-in is written on its own: nothing is rolled back
with it. Nothing changes or deletes an entry; only an administrator reads the log.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.errors import PermissionDenied
from gendan.org.choices import AuditKind, AuditVia
from gendan.org.models import AuditEntry
from gendan.org.permissions import can
from gendan.org.schemas import AuditFilter


def address_of(request) -> str | None:
    """The client's address as the sign-in limits count it (behind proxies too)."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


def via_of(request) -> str:
    if request is None:
        return AuditVia.COMMAND
    path = request.path or ""
    if path.startswith("/api/"):
        return AuditVia.API
    if path.startswith("/admin/"):
        return AuditVia.ADMIN
    return AuditVia.WEB


def _person(user):
    return user if user is not None and user.pk is not None else None


def audit_record(
    *, kind: str, actor=None, request=None, username: str = "", target_user=None, data=None
) -> AuditEntry:
    """Keep one act. `actor`: who acted (None or the system: nobody); `request`: where from."""
    person = _person(actor)
    return AuditEntry.objects.create(
        kind=kind,
        actor=person,
        username=(username or (person.username if person else ""))[:150],
        target_user=_person(target_user),
        via=via_of(request),
        address=address_of(request),
        data=data or {},
    )


def sign_in_recorded(*, request, user) -> None:
    audit_record(kind=AuditKind.LOGIN, actor=user, request=request)


def sign_in_failed(*, request, username: str) -> None:
    """A wrong password, or the failure that locked the account (django-axes decided)."""
    locked = getattr(request, "axes_locked_out", False)
    with transaction.atomic():
        audit_record(
            kind=AuditKind.LOCKOUT if locked else AuditKind.LOGIN_FAILED,
            request=request,
            username=username or "",
        )


def export_recorded(*, actor, request, list_name: str, filters: dict, rows: int, fmt: str):
    audit_record(
        kind=AuditKind.EXPORT,
        actor=actor,
        request=request,
        data={"list": list_name, "filters": filters, "rows": rows, "format": fmt},
    )


def export_refused(*, actor, request, list_name: str) -> None:
    with transaction.atomic():
        audit_record(
            kind=AuditKind.EXPORT_REFUSED, actor=actor, request=request, data={"list": list_name}
        )


def user_changes_recorded(*, actor, user, changes: dict, request=None) -> None:
    """What an administrator changed of a user that touches what they may do or see."""
    if "is_active" in changes:
        kind = AuditKind.USER_REACTIVATED if user.is_active else AuditKind.USER_DEACTIVATED
        audit_record(kind=kind, actor=actor, request=request, target_user=user)
    watched = {
        field: [_plain(old), _plain(new)]
        for field, (old, new) in changes.items()
        if field in ("role_id", "team_id", "is_superuser", "is_staff", "username")
    }
    if watched:
        audit_record(
            kind=AuditKind.USER_CHANGED,
            actor=actor,
            request=request,
            target_user=user,
            data={"changes": watched},
        )


def role_changes_recorded(*, actor, role, changes: dict, request=None) -> None:
    if not changes:
        return
    audit_record(
        kind=AuditKind.ROLE_CHANGED,
        actor=actor,
        request=request,
        data={
            "role": role.code,
            "changes": {field: [_plain(old), _plain(new)] for field, (old, new) in changes.items()},
        },
    )


def _plain(value):
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


# Reading -------------------------------------------------------------------------------------


def audit_list(*, actor, filters: AuditFilter | dict | None = None):
    """The log, newest first: administrators only (403 for anyone else)."""
    if not can(actor, "read_audit_log"):
        raise PermissionDenied(_("Only administrators can read the audit log."))
    qs = AuditEntry.objects.select_related("actor", "target_user")
    return AuditFilter.of(filters).apply(qs).order_by("-at", "-id")
