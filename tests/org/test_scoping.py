"""The permission scope every selector starts from (gendan.org.scoping)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gendan.core.errors import ValidationFailed
from gendan.leads.models import Lead
from gendan.org import scoping, services
from gendan.org.models import ApiToken, Role
from tests.factories import LeadFactory, TeamFactory, UserFactory


@pytest.mark.parametrize(
    ("code", "scope"),
    [
        ("sdr", "own"),
        ("ae", "own"),
        ("se", "own"),
        ("am", "own"),
        ("pm", "own"),
        ("sm", "team"),
        ("ops", "team"),
        ("admin", "all"),
    ],
)
def test_default_role_scopes(db, code, scope):
    assert Role.objects.get(code=code).scope == scope
    assert scoping.effective_scope(UserFactory(role_code=code)) == scope


def test_scope_of_special_users(org):
    assert scoping.effective_scope(org.superuser) == "all"
    assert scoping.effective_scope(UserFactory(role_code=None)) == "own"
    assert scoping.effective_scope(AnonymousUser()) is None
    assert scoping.effective_scope(None) is None
    org.owner.is_active = False
    assert scoping.effective_scope(org.owner) is None
    assert not Lead.objects.visible_to(org.owner).exists()


def test_team_ids_cover_sub_teams_and_managed_teams(org):
    grandchild = TeamFactory(parent=org.sub_team)
    org.team_b.manager = org.manager
    org.team_b.save()
    manager = type(org.manager).objects.get(pk=org.manager.pk)
    assert scoping.team_ids(manager) == {
        org.team_a.pk,
        org.sub_team.pk,
        grandchild.pk,
        org.team_b.pk,
    }
    assert scoping.team_ids(org.outsider) == {org.team_b.pk}
    assert scoping.team_ids(org.admin) == set()


def test_visible_to_for_each_scope(org):
    leads = {name: LeadFactory(owner=getattr(org, name)) for name in ("owner", "peer", "outsider")}
    sub = LeadFactory(owner=org.sub_rep)

    def seen(user):
        return set(Lead.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(org.owner) == {leads["owner"].pk}
    assert seen(org.manager) == {leads["owner"].pk, leads["peer"].pk, sub.pk}
    assert seen(org.admin) == seen(org.superuser) == {lead.pk for lead in Lead.objects.all()}


def test_check_assignable(org):
    scoping.check_assignable(org.owner, org.owner.pk)
    scoping.check_assignable(org.owner, None)
    with pytest.raises(ValidationFailed) as exc:
        scoping.check_assignable(org.owner, org.peer.pk)
    assert "owner_id" in exc.value.errors
    scoping.check_assignable(org.manager, org.sub_rep.pk)
    with pytest.raises(ValidationFailed):
        scoping.check_assignable(org.manager, org.outsider.pk)
    scoping.check_assignable(org.admin, org.outsider.pk)
    with pytest.raises(ValidationFailed) as exc:
        scoping.check_assignable(org.admin, 999_999, field="assignee_id")
    assert "assignee_id" in exc.value.errors


def test_token_authenticate_touches_last_used_at_at_most_once_a_minute(org):
    token, key = services.token_create(user=org.owner)
    assert services.token_authenticate(key) == org.owner
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    services.token_authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=5))
    services.token_authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)
    assert token.last_used_at <= timezone.now()


def test_token_authenticate_refuses_revoked_inactive_and_unknown(org):
    _token, key = services.token_create(user=org.owner)
    assert services.token_authenticate("") is None
    assert services.token_authenticate(key + "x") is None
    org.owner.is_active = False
    org.owner.save()
    assert services.token_authenticate(key) is None


def test_tokens_are_long_and_random(org):
    keys = {services.token_create(user=org.owner)[1] for _ in range(5)}
    assert len(keys) == 5
    assert all(len(key) >= 40 for key in keys)
