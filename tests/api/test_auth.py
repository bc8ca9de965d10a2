"""Bearer tokens, revocation, and deactivation ending every way in."""

import hashlib

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from gendan.org.models import ApiToken
from tests.conftest import ApiClient
from tests.factories import PASSWORD

RESOURCES = [
    "/me",
    "/users",
    "/teams",
    "/roles",
    "/pipelines",
    "/leads",
    "/customers",
    "/contacts",
    "/deals",
    "/deals/board",
    "/deals/1",
    "/deals/1/stage-history",
    "/activities",
    "/tasks",
    "/timeline?subject_type=lead&subject_id=1",
    "/auth/tokens",
]


def test_token_for_username_and_password_authenticates_the_api(org, api):
    # given a user with a password
    anonymous = api()
    # when they exchange username and password for a token
    response = anonymous.post("/auth/token", {"username": "owner", "password": PASSWORD})
    # then they get a token that works as a bearer token
    assert response.status_code == 201
    token = response.json()["token"]
    me = ApiClient(token=token).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == "owner"


def test_tokens_are_stored_only_hashed(org, api):
    # when a token is issued
    token = api().post("/auth/token", {"username": "owner", "password": PASSWORD}).json()["token"]
    # then only its SHA-256 is kept
    row = ApiToken.objects.get(user=org.owner)
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert token not in stored


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "owner", "password": "wrong-password"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_wrong_credentials_answer_401(org, api, credentials):
    response = api().post("/auth/token", credentials)
    assert response.status_code == 401
    assert "password" in response.json()["errors"]
    assert not ApiToken.objects.exists()


def test_inactive_user_cannot_get_a_token(org, api):
    org.peer.is_active = False
    org.peer.save()
    response = api().post("/auth/token", {"username": "peer", "password": PASSWORD})
    assert response.status_code == 401


@pytest.mark.parametrize("path", RESOURCES)
def test_anonymous_gets_401_on_every_resource(org, api, path):
    response = api().get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"]}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/leads"),
        ("patch", "/leads/1"),
        ("delete", "/leads/1"),
        ("post", "/customers"),
        ("post", "/deals"),
        ("post", "/deals/1/move"),
        ("post", "/activities"),
        ("post", "/tasks"),
        ("post", "/users"),
        ("post", "/pipelines"),
    ],
)
def test_anonymous_gets_401_on_writes(org, api, method, path):
    client = api()
    response = client.delete(path) if method == "delete" else getattr(client, method)(path, {})
    assert response.status_code == 401


def test_garbage_bearer_token_is_refused(org):
    assert ApiClient(token="not-a-token").get("/leads").status_code == 401


def test_revoked_token_stops_working(org, api):
    # given a user with two tokens
    client = api(org.owner)
    other = api(org.owner)
    token_id = ApiToken.objects.get(key_hash=ApiToken.hash_key(client.token)).pk
    # when one is revoked
    response = other.delete(f"/auth/tokens/{token_id}")
    # then it no longer authenticates, and the other still does
    assert response.status_code == 204
    assert client.get("/me").status_code == 401
    assert other.get("/me").status_code == 200


def test_a_user_cannot_revoke_someone_elses_token(org, api):
    victim = api(org.peer)
    token_id = ApiToken.objects.get(key_hash=ApiToken.hash_key(victim.token)).pk
    assert api(org.owner).delete(f"/auth/tokens/{token_id}").status_code == 404
    assert victim.get("/me").status_code == 200


def test_logout_revokes_the_current_token(org, api):
    client = api(org.owner)
    assert client.post("/auth/logout").status_code == 204
    assert client.get("/me").status_code == 401


def test_token_list_shows_own_live_tokens_without_secrets(org, api):
    client = api(org.owner)
    api(org.peer)
    items = client.get("/auth/tokens").json()
    assert len(items) == 1
    assert client.token not in str(items)
    assert items[0]["prefix"] == client.token[:8]


@pytest.mark.parametrize("admin", ["admin", "superuser"])
def test_deactivating_a_user_kills_their_tokens_and_sessions(org, api, admin):
    # given the owner signed in through the API and through the web (a session row)
    token_client = api(org.owner)
    web = Client()
    web.force_login(org.owner)
    other_web = Client()
    other_web.force_login(org.peer)
    assert web.get("/api/v1/me").status_code == 200
    assert Session.objects.count() == 2
    # when an admin deactivates the owner
    response = api(getattr(org, admin)).patch(f"/users/{org.owner.pk}", {"is_active": False})
    # then every token and every web session of the owner is gone, and nobody else's
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert token_client.get("/me").status_code == 401
    assert not ApiToken.objects.filter(user=org.owner, revoked_at__isnull=True).exists()
    assert web.get("/api/v1/me").status_code == 401
    assert Session.objects.count() == 1
    assert other_web.get("/api/v1/me").status_code == 200


def test_deactivating_with_delete_also_kills_tokens(org, api):
    token_client = api(org.owner)
    assert api(org.admin).delete(f"/users/{org.owner.pk}").status_code == 204
    assert token_client.get("/me").status_code == 401


def test_session_auth_serves_the_web_ui(org):
    web = Client()
    web.force_login(org.owner)
    assert web.get("/api/v1/leads").status_code == 200
