"""The administrators' audit log: sign-ins (ok, failed, locked out), API tokens, exports (and
refused ones), role and user changes; read by administrators only, through the API and the
settings page."""

import pytest
from django.test import Client

from gendan.org import services as org_services
from gendan.org.models import AuditEntry
from tests.factories import PASSWORD, LeadFactory, UserFactory, role

EN = {"Accept-Language": "en"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _kinds(**filters) -> list[str]:
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("kind", flat=True))


def test_web_sign_in_ok_failed_and_locked_out(org):
    user = UserFactory(username="li.na", role_code="ae")
    client = Client(REMOTE_ADDR="10.0.0.7")
    client.post("/login/", {"username": "li.na", "password": "wrong"})
    assert _kinds(username="li.na") == ["login_failed"]
    failed = AuditEntry.objects.get(username="li.na")
    assert failed.actor is None and failed.via == "web" and failed.address == "10.0.0.7"
    assert client.post("/login/", {"username": "li.na", "password": PASSWORD}).status_code == 302
    ok = AuditEntry.objects.filter(kind="login").get()
    assert ok.actor == user and ok.via == "web"
    # the fifth failure in a row locks the account out, and says so
    for _ in range(5):
        response = Client(REMOTE_ADDR="10.0.0.8").post(
            "/login/", {"username": "li.na", "password": "wrong"}
        )
    assert response.status_code == 429
    assert "lockout" in _kinds(username="li.na", address="10.0.0.8")


def test_api_token_sign_in_keeps_the_login_and_the_token(org, api):
    UserFactory(username="zhao", role_code="ae")
    anonymous = api()
    bad = anonymous.post("/auth/token", {"username": "zhao", "password": "nope"})
    assert bad.status_code == 401
    good = anonymous.post("/auth/token", {"username": "zhao", "password": PASSWORD})
    assert good.status_code == 201
    assert _kinds(username="zhao") == ["login_failed", "login", "token_issued"]
    token = AuditEntry.objects.get(username="zhao", kind="token_issued")
    assert token.via == "api" and token.data["prefix"] == good.json()["token"][:8]


def test_an_export_is_kept_with_its_list_filters_and_rows(org, api):
    LeadFactory(owner=org.manager, status="new")
    LeadFactory(owner=org.manager, status="new")
    LeadFactory(owner=org.manager, status="contacted")
    response = api(org.manager).get("/leads/export", {"format": "csv", "status": "new"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(kind="export")
    assert entry.actor == org.manager and entry.via == "api"
    assert entry.data["list"] == "leads" and entry.data["rows"] == 2
    assert entry.data["format"] == "csv" and entry.data["filters"]["status"] == "new"
    web = _client(org.manager).get("/deals/export/?format=xlsx")
    assert web.status_code == 200
    assert AuditEntry.objects.filter(kind="export", via="web", data__list="deals").exists()


def test_a_role_without_the_export_setting_is_refused(org, api):
    # sales consultants may not export by default; managers and administrators may
    assert not role("ae").may_export and role("sm").may_export and role("admin").may_export
    assert api(org.owner).get("/leads/export").status_code == 403
    assert AuditEntry.objects.filter(kind="export_refused", actor=org.owner).exists()
    page = _client(org.owner).get("/leads/", headers=EN).content.decode()
    assert 'data-testid="export-menu"' not in page
    assert _client(org.owner).get("/leads/export/?format=csv").status_code == 403
    assert 'data-testid="export-menu"' in _client(org.manager).get("/leads/").content.decode()
    # the administrator lets the role export: the change is kept, and the export works
    ae = role("ae")
    answer = api(org.admin).patch(f"/roles/{ae.pk}", {"may_export": True})
    assert answer.status_code == 200 and answer.json()["may_export"] is True
    change = AuditEntry.objects.get(kind="role_changed")
    assert change.actor == org.admin
    assert change.data == {"role": "ae", "changes": {"may_export": [False, True]}}
    assert api(org.owner).get("/leads/export").status_code == 200


def test_user_created_changed_and_deactivated(org):
    user = org_services.user_create(
        actor=org.admin, data={"username": "new.rep", "password": PASSWORD}
    )
    org_services.user_update(
        actor=org.admin,
        user_id=user.pk,
        data={"role_id": role("sm").pk, "team_id": org.team_a.pk},
    )
    org_services.user_update(actor=org.admin, user_id=user.pk, data={"is_active": False})
    entries = list(AuditEntry.objects.filter(target_user=user).order_by("id"))
    assert [e.kind for e in entries] == ["user_created", "user_changed", "user_deactivated"]
    assert entries[1].data["changes"]["role_id"] == [None, role("sm").pk]
    assert all(e.actor == org.admin for e in entries)


def test_only_administrators_read_the_log(org, api):
    UserFactory(username="wu", role_code="ae")
    api().post("/auth/token", {"username": "wu", "password": "bad"})
    assert api(org.manager).get("/audit-log").status_code == 403
    assert _client(org.manager).get("/settings/audit-log/").status_code == 403
    admin = api(org.admin)
    body = admin.get("/audit-log", {"kind": "login_failed"}).json()
    assert body["count"] == 1 and body["items"][0]["username"] == "wu"
    assert admin.get("/audit-log", {"username": "nobody"}).json()["count"] == 0
    long_ago = admin.get("/audit-log", {"since": "2000-01-01", "until": "2000-01-02"})
    assert long_ago.json()["count"] == 0
    page = _client(org.admin).get("/settings/audit-log/?kind=login_failed", headers=EN)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="audit-row"') == 1


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_the_log_cannot_be_written_through_the_api(org, api, method):
    client = api(org.admin)
    if method == "delete":
        answer = client.delete("/audit-log")
    else:
        answer = getattr(client, method)("/audit-log", {"kind": "login"})
    assert answer.status_code == 405
    assert not AuditEntry.objects.filter(kind="login", actor=org.admin).exists()
