"""Shared fixtures: a small organisation, and an API client that signs in with a bearer token."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client

from gendan.org import services as org_services
from gendan.org.models import User
from tests.factories import TeamFactory, UserFactory

API = "/api/v1"


def pytest_configure(config):
    # Real password hashing costs ~0.3 s per user; the suite creates hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: kept figures (the board's totals, sign-in
    failures) must not leak from one test's rolled-back data into the next."""
    from django.core.cache import cache

    cache.clear()


class ApiClient:
    """A Django test client speaking JSON to /api/v1 as one user (or anonymously)."""

    def __init__(self, user: User | None = None, token: str | None = None):
        self.user = user
        self.client = Client()
        if user is not None and token is None:
            _token, token = org_services.token_create(user=user, name="test")
        self.token = token

    def _headers(self, headers: dict | None) -> dict:
        merged = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        merged.update(headers or {})
        return merged

    def get(self, path: str, params: dict | None = None, headers: dict | None = None):
        return self.client.get(API + path, params or {}, headers=self._headers(headers))

    def post(self, path: str, data: dict | None = None, headers: dict | None = None):
        return self.client.post(
            API + path, data or {}, content_type="application/json", headers=self._headers(headers)
        )

    def patch(self, path: str, data: dict | None = None, headers: dict | None = None):
        return self.client.patch(
            API + path, data or {}, content_type="application/json", headers=self._headers(headers)
        )

    def put(self, path: str, data: dict | None = None, headers: dict | None = None):
        return self.client.put(
            API + path, data or {}, content_type="application/json", headers=self._headers(headers)
        )

    def delete(self, path: str, headers: dict | None = None):
        return self.client.delete(API + path, headers=self._headers(headers))


def seed_reference_data() -> None:
    """Roles and the default pipeline come from data migrations; idempotent."""
    from gendan.deals import services as deal_services
    from gendan.deals.models import Pipeline
    from gendan.org.choices import DEFAULT_SCOPES, EXPORTING_ROLES, ROLE_NAMES_ZH, RoleCode
    from gendan.org.models import Role

    for code in RoleCode:
        Role.objects.get_or_create(
            code=code.value,
            defaults={
                "name": str(code.label),
                "name_zh": ROLE_NAMES_ZH[code],
                "scope": DEFAULT_SCOPES[code].value,
                "may_export": code in EXPORTING_ROLES,
            },
        )
    if not Pipeline.objects.exists():
        deal_services.pipeline_create_default()


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """A transactional test empties every table when it ends, the migrations' data included;
    the next transactional test puts that data back before it starts."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
        seed_reference_data()


@pytest.fixture
def api():
    """`api(user)` is a client signed in as `user`; `api()` is anonymous."""
    return lambda user=None: ApiClient(user)


@dataclass
class Org:
    """Team A (with sub-team A1) and team B.

    owner, peer: sales consultants (ae, scope own) in team A; manager: sales manager (sm, scope
    team) of team A; sub_rep: ae in A1; outsider: ae in team B; admin: role admin;
    superuser: a Django superuser without a role.
    """

    team_a: object
    sub_team: object
    team_b: object
    owner: User
    peer: User
    manager: User
    sub_rep: User
    outsider: User
    admin: User
    superuser: User


@pytest.fixture
def org(db) -> Org:
    team_a = TeamFactory(name="East")
    sub_team = TeamFactory(name="East / Shanghai", parent=team_a)
    team_b = TeamFactory(name="West")
    manager = UserFactory(username="manager", role_code="sm", team=team_a)
    team_a.manager = manager
    team_a.save()
    return Org(
        team_a=team_a,
        sub_team=sub_team,
        team_b=team_b,
        owner=UserFactory(username="owner", role_code="ae", team=team_a),
        peer=UserFactory(username="peer", role_code="ae", team=team_a),
        manager=manager,
        sub_rep=UserFactory(username="sub_rep", role_code="ae", team=sub_team),
        outsider=UserFactory(username="outsider", role_code="ae", team=team_b),
        admin=UserFactory(username="admin", role_code="admin"),
        superuser=UserFactory(username="root", role_code=None, is_superuser=True, is_staff=True),
    )
