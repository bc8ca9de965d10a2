"""Writes for users, teams, roles and API tokens. Only admins manage the organisation."""

import secrets

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.contact import check_contact
from gendan.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    Unauthenticated,
    ValidationFailed,
)
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.org import audit
from gendan.org.choices import AuditKind
from gendan.org.lockout import lockout_message, log_lockout
from gendan.org.models import ApiToken, Role, Team, User
from gendan.org.people import people_changed


def require_admin(actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(_("Only administrators can manage the organisation."))


# Tokens -------------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, user: User, name: str = "", request=None) -> tuple[ApiToken, str]:
    """A new random token (256 bits); the clear text is returned once and never stored.
    The audit log keeps that it was issued (by the API's sign-in, or `gendan token`)."""
    if not user.is_active:
        raise PermissionDenied(_("This account is deactivated."))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80], key_hash=ApiToken.hash_key(key), prefix=key[:8]
    )
    audit.audit_record(
        kind=AuditKind.TOKEN_ISSUED,
        actor=user,
        request=request,
        data={"token_id": token.pk, "name": token.name, "prefix": token.prefix},
    )
    return token, key


def token_login(*, request, username: str, password: str, name: str = "") -> str:
    """A token for a username and password. `request` is the one asking: failed logins are
    counted per address and account (org/lockout.py), as on the login page."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        audit.sign_in_failed(request=request, username=username)
        if getattr(request, "axes_locked_out", False):
            minutes = log_lockout(request, username)
            raise TooManyRequests(lockout_message(minutes), retry_after=minutes * 60)
        raise Unauthenticated(
            _("Wrong username or password."),
            errors={"password": _("Wrong username or password.")},
        )
    with transaction.atomic():
        audit.sign_in_recorded(request=request, user=user)
        _token, key = token_create(user=user, name=name or "api", request=request)
    return key


def token_authenticate(key: str) -> User | None:
    """The active user behind a bearer token, or None. Touches last_used_at at most per minute."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__role")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.current_token_id = token.pk
    return token.user


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> None:
    qs = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
    if not actor.is_admin:
        qs = qs.filter(user=actor)
    if not qs.update(revoked_at=timezone.now()):
        raise NotFound()


# Users --------------------------------------------------------------------------------------


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(errors={"password": " ".join(exc.messages)}) from exc


def _check_refs(*, role_id=None, team_id=None) -> dict:
    errors = {}
    if role_id is not None and not Role.objects.filter(pk=role_id).exists():
        errors["role_id"] = _("No such role.")
    if team_id is not None and not Team.objects.filter(pk=team_id).exists():
        errors["team_id"] = _("No such team.")
    return errors


@transaction.atomic
def user_create(*, actor: User, data: dict) -> User:
    require_admin(actor)
    data = dict(data)
    password = data.pop("password")
    check_contact(data)
    errors = _check_refs(role_id=data.get("role_id"), team_id=data.get("team_id"))
    if User.objects.filter(username__iexact=data["username"]).exists():
        errors["username"] = _("This username is taken.")
    if errors:
        raise ValidationFailed(errors=errors)
    user = User(**data)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit.audit_record(
        kind=AuditKind.USER_CREATED,
        actor=actor,
        target_user=user,
        data={"username": user.username, "role_id": user.role_id, "team_id": user.team_id},
    )
    people_changed()
    return user


def _revoke_tokens(user: User) -> None:
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _end_sessions(user: User) -> None:
    """End every web session and revoke every API token of the user (deactivation, or the
    user's own "log out everywhere")."""
    _revoke_tokens(user)
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=doomed).delete()


@transaction.atomic
def user_update(*, actor: User, user_id: int, data: dict, version: int | None = None) -> User:
    is_self = actor.pk == user_id
    admin_fields = {"role_id", "team_id", "is_active", "username"}
    if not actor.is_admin and (not is_self or admin_fields & data.keys()):
        raise PermissionDenied(_("Only administrators can manage the organisation."))
    data = dict(data)
    password = data.pop("password", None)
    check_contact(data)
    errors = _check_refs(role_id=data.get("role_id"), team_id=data.get("team_id"))
    if errors:
        raise ValidationFailed(errors=errors)
    user = lock_for_update(User.objects.all(), user_id, expected_version=version)
    if "username" in data and (
        User.objects.filter(username__iexact=data["username"]).exclude(pk=user.pk).exists()
    ):
        raise ValidationFailed(errors={"username": _("This username is taken.")})
    if data.get("is_active") is False and user.pk == actor.pk:
        raise ValidationFailed(errors={"is_active": _("You cannot deactivate yourself.")})
    changes = apply_changes(user, data)
    if password:
        _check_password(password, user)
        user.set_password(password)
        changes["password"] = (None, None)
    save_changes(user, changes)
    audit.user_changes_recorded(actor=actor, user=user, changes=changes)
    people_changed()
    if "is_active" in changes and not user.is_active:
        _end_sessions(user)
    elif password:
        # A new password revokes the API tokens; the web sessions that carried the old one
        # end by themselves (Django checks the password's hash on each request).
        _revoke_tokens(user)
    return user


@transaction.atomic
def sessions_end_everywhere(*, actor: User) -> None:
    """The actor logs out everywhere: every web session (this one too) and every API token."""
    _end_sessions(actor)


# Teams --------------------------------------------------------------------------------------


def _check_team_parent(team: Team | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parents = dict(Team.objects.values_list("id", "parent_id"))
    if parent_id not in parents:
        raise ValidationFailed(errors={"parent_id": _("No such team.")})
    node = parent_id
    while node is not None:
        if team is not None and node == team.pk:
            raise ValidationFailed(errors={"parent_id": _("A team cannot be its own ancestor.")})
        node = parents.get(node)


def _check_manager(manager_id: int | None) -> None:
    if manager_id is not None and not User.objects.filter(pk=manager_id).exists():
        raise ValidationFailed(errors={"manager_id": _("No such user.")})


@transaction.atomic
def team_create(*, actor: User, data: dict) -> Team:
    require_admin(actor)
    _check_team_parent(None, data.get("parent_id"))
    _check_manager(data.get("manager_id"))
    team = Team.objects.create(**data)
    people_changed()
    return team


@transaction.atomic
def team_update(*, actor: User, team_id: int, data: dict, version: int | None = None) -> Team:
    require_admin(actor)
    team = lock_for_update(Team.objects.all(), team_id, expected_version=version)
    if "parent_id" in data:
        _check_team_parent(team, data["parent_id"])
    if "manager_id" in data:
        _check_manager(data["manager_id"])
    save_changes(team, apply_changes(team, data))
    people_changed()
    return team


@transaction.atomic
def team_delete(*, actor: User, team_id: int) -> None:
    require_admin(actor)
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    if team.children.exists() or team.members.exists():
        raise Conflict(_("A team with members or sub-teams cannot be deleted."))
    team.delete()
    people_changed()


# Roles --------------------------------------------------------------------------------------


@transaction.atomic
def role_update(*, actor: User, role_id: int, data: dict, version: int | None = None) -> Role:
    require_admin(actor)
    role = lock_for_update(Role.objects.all(), role_id, expected_version=version)
    changes = apply_changes(role, data)
    save_changes(role, changes)
    audit.role_changes_recorded(actor=actor, role=role, changes=changes)
    return role
