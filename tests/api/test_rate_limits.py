"""API rate limits per caller: writes, and the heavy reads (reports, exports, searches)."""

import time

import pytest
from django.test import Client

WRITE_LIMIT = 3


@pytest.fixture
def low_limits(settings, monkeypatch):
    settings.GENDAN_API_WRITE_RATE = f"{WRITE_LIMIT}/m"
    settings.GENDAN_API_HEAVY_READ_RATE = "2/m"
    # The windows are fixed minutes: a test's requests all fall in one, however slowly the
    # machine runs them (a window that ends between two requests would count afresh).
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    return settings


def _create_lead(client, n: int, **headers):
    return client.post("/leads", {"name": f"Lead {n}", "company": f"Co {n}"}, headers=headers)


def test_the_write_after_the_limit_answers_429_with_retry_after(org, api, low_limits):
    # given a token under a limit of 3 writes a minute
    client = api(org.manager)
    for n in range(WRITE_LIMIT):
        assert _create_lead(client, n).status_code == 201
    # when it writes once more
    response = _create_lead(client, 99, **{"Accept-Language": "en"})
    # then it is refused until the window ends, and nothing was written
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60
    unit = "second" if seconds == 1 else "seconds"
    assert response.json() == {"detail": f"Too many requests. Try again in {seconds} {unit}."}
    assert client.get("/leads", {"page_size": 50}).json()["count"] == WRITE_LIMIT


def test_the_429_speaks_the_callers_language(org, api, low_limits):
    client = api(org.manager)
    for n in range(WRITE_LIMIT):
        _create_lead(client, n)
    response = _create_lead(client, 99, **{"Accept-Language": "zh-hans"})
    assert response.status_code == 429
    assert response.json()["detail"] == f"请求过于频繁，请 {response['Retry-After']} 秒后再试。"


def test_plain_reads_are_not_limited(org, api, low_limits):
    # given a token that used up its writes
    client = api(org.manager)
    for n in range(WRITE_LIMIT + 1):
        _create_lead(client, n)
    # then it still reads lists and records as often as it likes
    for _ in range(10):
        assert client.get("/leads").status_code == 200
        assert client.get("/me").status_code == 200


def test_another_token_is_not_affected(org, api, low_limits):
    # given one token of the manager over the limit
    first = api(org.manager)
    for n in range(WRITE_LIMIT + 1):
        _create_lead(first, n)
    assert _create_lead(first, 100).status_code == 429
    # then another token, of the same user or another one, writes on
    assert _create_lead(api(org.manager), 101).status_code == 201
    assert _create_lead(api(org.admin), 102).status_code == 201


def test_the_limit_resets_after_the_window(org, api, low_limits, monkeypatch):
    client = api(org.manager)
    for n in range(WRITE_LIMIT + 1):
        _create_lead(client, n)
    assert _create_lead(client, 100).status_code == 429
    # when a minute has passed
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    # then the token writes again
    assert _create_lead(client, 101).status_code == 201


@pytest.mark.parametrize(
    "path, params",
    [
        ("/leads", {"q": "Acme"}),
        ("/customers", {"q": "138"}),
        ("/reports/funnel", {}),
        ("/reports/funnel", {"format": "csv"}),
        ("/leads/export", {}),
        ("/deals/export", {"format": "xlsx"}),
    ],
)
def test_searches_reports_and_exports_are_limited(org, api, low_limits, path, params):
    client = api(org.manager)
    assert [client.get(path, params).status_code for _ in range(3)] == [200, 200, 429]
    # a list without q is still a plain read
    assert client.get("/leads").status_code == 200


def test_session_calls_are_counted_per_user(org, low_limits):
    # given the web app's session of the manager
    client = Client()
    client.force_login(org.manager)
    for n in range(WRITE_LIMIT):
        response = client.post(
            "/api/v1/leads", {"name": f"L{n}", "company": "C"}, content_type="application/json"
        )
        assert response.status_code == 201
    over = client.post(
        "/api/v1/leads", {"name": "L", "company": "C"}, content_type="application/json"
    )
    assert over.status_code == 429 and over.has_header("Retry-After")


def test_anonymous_calls_are_counted_per_address(org, low_limits):
    # the token endpoint needs no sign-in: its callers are counted by address
    org.manager.set_password("secret-pass-1")
    org.manager.save()
    body = {"username": "manager", "password": "secret-pass-1"}
    here, there = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    statuses = [
        here.post("/api/v1/auth/token", body, content_type="application/json").status_code
        for _ in range(WRITE_LIMIT + 1)
    ]
    assert statuses == [201] * WRITE_LIMIT + [429]
    elsewhere = there.post("/api/v1/auth/token", body, content_type="application/json")
    assert elsewhere.status_code == 201


def test_the_default_limits_leave_room_for_normal_work(org, api, settings):
    # an integration creating 100 records and searching 30 times in a minute is never refused
    assert settings.GENDAN_API_WRITE_RATE == "300/m"
    assert settings.GENDAN_API_HEAVY_READ_RATE == "60/m"
    client = api(org.manager)
    for n in range(100):
        assert _create_lead(client, n).status_code == 201
    for _ in range(30):
        assert client.get("/leads", {"q": "Co"}).status_code == 200
