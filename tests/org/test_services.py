"""Organisation services: users, teams and roles, written by admins only."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from gendan.core.errors import PermissionDenied, StaleVersion, ValidationFailed
from gendan.org import services
from gendan.org.models import ApiToken, Role, Team


def test_user_update_checks_version(org):
    with pytest.raises(StaleVersion):
        services.user_update(
            actor=org.admin, user_id=org.owner.pk, data={"display_name": "x"}, version=7
        )
    user = services.user_update(
        actor=org.admin, user_id=org.owner.pk, data={"display_name": "x"}, version=1
    )
    assert user.version == 2


def test_user_update_refuses_unknown_role_and_team(org):
    with pytest.raises(ValidationFailed) as exc:
        services.user_update(
            actor=org.admin, user_id=org.owner.pk, data={"role_id": 999, "team_id": 999}
        )
    assert set(exc.value.errors) == {"role_id", "team_id"}


def test_password_change_validates(org):
    with pytest.raises(ValidationFailed) as exc:
        services.user_update(actor=org.owner, user_id=org.owner.pk, data={"password": "123"})
    assert "password" in exc.value.errors
    services.user_update(
        actor=org.owner, user_id=org.owner.pk, data={"password": "A-much-better-one-9"}
    )
    org.owner.refresh_from_db()
    assert org.owner.check_password("A-much-better-one-9")


def test_deactivation_ends_only_that_users_sessions(org):
    sessions = {}
    for user in (org.owner, org.peer):
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store.create()
        sessions[user.username] = store.session_key
    _token, _key = services.token_create(user=org.owner)
    services.user_update(actor=org.superuser, user_id=org.owner.pk, data={"is_active": False})
    assert not Session.objects.filter(session_key=sessions["owner"]).exists()
    assert Session.objects.filter(session_key=sessions["peer"]).exists()
    assert not ApiToken.objects.filter(user=org.owner, revoked_at__isnull=True).exists()


def test_team_services_need_an_admin(org):
    with pytest.raises(PermissionDenied):
        services.team_create(actor=org.manager, data={"name": "x"})
    team = services.team_create(
        actor=org.admin, data={"name": "North", "manager_id": org.manager.pk}
    )
    assert team.manager_id == org.manager.pk


def test_team_refs_are_checked(org):
    with pytest.raises(ValidationFailed) as exc:
        services.team_create(actor=org.admin, data={"name": "x", "parent_id": 999})
    assert "parent_id" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.team_create(actor=org.admin, data={"name": "x", "manager_id": 999})
    assert "manager_id" in exc.value.errors
    assert not Team.objects.filter(name="x").exists()


def test_team_cycle_through_several_levels_is_refused(org):
    child = services.team_create(actor=org.admin, data={"name": "c", "parent_id": org.sub_team.pk})
    with pytest.raises(ValidationFailed):
        services.team_update(actor=org.admin, team_id=org.team_a.pk, data={"parent_id": child.pk})
    moved = services.team_update(
        actor=org.admin, team_id=org.sub_team.pk, data={"parent_id": org.team_b.pk}
    )
    assert moved.parent_id == org.team_b.pk


def test_role_update_needs_an_admin_and_bumps_the_version(org):
    role = Role.objects.get(code="ops")
    with pytest.raises(PermissionDenied):
        services.role_update(actor=org.manager, role_id=role.pk, data={"scope": "all"})
    updated = services.role_update(actor=org.admin, role_id=role.pk, data={"scope": "all"})
    assert (updated.scope, updated.version) == ("all", 2)
