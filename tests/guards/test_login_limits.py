"""Failed logins are limited wherever a password is checked: the login page, the admin's login
and the API's token endpoint share the same counters (django-axes, org/lockout.py)."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.test import Client

from gendan.org.lockout import BASE_COOL_OFF, MAX_COOL_OFF, cool_off
from tests.conftest import ApiClient
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _token(username, password, address="10.0.0.1"):
    client = ApiClient(None)
    client.client = Client(REMOTE_ADDR=address)
    return client.post("/auth/token", {"username": username, "password": password})


def _login_page(username, password, address="10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    return client.post("/login/", {"username": username, "password": password}), client


def test_the_token_endpoint_locks_out_after_five_failures_and_says_when_to_retry(caplog):
    UserFactory(username="east_ae")
    for _ in range(4):
        assert _token("east_ae", "wrong").status_code == 401
    caplog.set_level(logging.WARNING, logger="gendan.auth")
    fifth = _token("east_ae", "wrong")
    assert fifth.status_code == 429
    assert fifth["Retry-After"] == str(int(BASE_COOL_OFF.total_seconds()))
    assert "15" in fifth.json()["detail"]
    # the right password no longer helps from this address
    right = _token("east_ae", PASSWORD)
    assert right.status_code == 429
    assert "token" not in right.json()
    # and the lock-out is in the log, once per refused request
    lines = [r.getMessage() for r in caplog.records if r.name == "gendan.auth"]
    assert len(lines) == 2
    assert "east_ae" in lines[0] and "10.0.0.1" in lines[0]


def test_token_and_login_page_share_one_counter():
    UserFactory(username="wang")
    for _ in range(3):
        assert _token("wang", "wrong").status_code == 401
    assert _login_page("wang", "wrong")[0].status_code == 200
    locked, client = _login_page("wang", "wrong")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _token("wang", PASSWORD).status_code == 429


def test_a_guesser_elsewhere_does_not_lock_the_owner_out():
    UserFactory(username="li")
    for _ in range(6):
        _token("li", "wrong", address="203.0.113.9")
    assert _token("li", PASSWORD, address="203.0.113.9").status_code == 429
    # the owner, from the office, still gets in
    assert _token("li", PASSWORD, address="10.1.2.3").status_code == 201


def test_one_address_trying_many_accounts_is_stopped():
    for n in range(30):
        _token(f"user{n}", "guess", address="198.51.100.7")
    UserFactory(username="zhao")
    assert _token("zhao", PASSWORD, address="198.51.100.7").status_code == 429
    assert _token("zhao", PASSWORD, address="10.0.0.2").status_code == 201


def test_the_pause_doubles_for_an_address_that_keeps_guessing(rf):
    request = rf.post("/login/")
    request.axes_ip_address = "192.0.2.50"
    assert cool_off(request) == BASE_COOL_OFF
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username="x", ip_address="192.0.2.50", user_agent="", path_info="/")
        for _ in range(15)
    )
    assert cool_off(request) == BASE_COOL_OFF * 4
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username="x", ip_address="192.0.2.50", user_agent="", path_info="/")
        for _ in range(200)
    )
    assert cool_off(request) == MAX_COOL_OFF


def test_an_administrator_unlocks_an_account():
    UserFactory(username="sun")
    for _ in range(5):
        _token("sun", "wrong")
    assert _token("sun", PASSWORD).status_code == 429
    call_command("axes_reset_username", "sun")
    assert not AccessAttempt.objects.filter(username="sun").exists()
    assert _token("sun", PASSWORD).status_code == 201


def test_the_admin_site_lists_the_attempts_to_unlock_them(org):
    for _ in range(5):
        _token("owner", "wrong")
    admin = Client()
    admin.force_login(org.superuser)
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "owner" in page.content.decode()
