"""Sessions: a new password revokes the API tokens and ends the other sessions; a user can
log out everywhere, from the web app or the API."""

import pytest
from django.test import Client

from gendan.org.models import ApiToken
from tests.conftest import ApiClient
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-s3cret-pass"


def _logged_in(user) -> Client:
    client = Client()
    assert (
        client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    return client


def _token(user) -> ApiClient:
    client = ApiClient(None)
    key = client.post("/auth/token", {"username": user.username, "password": PASSWORD}).json()
    client.token = key["token"]
    return client


def test_a_new_password_revokes_tokens_and_ends_other_sessions():
    user = UserFactory(username="wu")
    here, elsewhere = _logged_in(user), _logged_in(user)
    api = _token(user)
    assert api.get("/me").status_code == 200
    response = here.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    # this browser stays in; the other session and the token are out
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert api.get("/me").status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_log_out_everywhere_from_the_web_app():
    user = UserFactory(username="zhou")
    here, elsewhere = _logged_in(user), _logged_in(user)
    api = _token(user)
    response = here.post("/logout/everywhere/")
    assert response.status_code == 302
    assert here.get("/").status_code == 302
    assert elsewhere.get("/").status_code == 302
    assert api.get("/me").status_code == 401


def test_log_out_everywhere_from_the_api():
    user = UserFactory(username="qian")
    browser = _logged_in(user)
    api = _token(user)
    assert api.post("/me/logout-everywhere").status_code == 204
    assert api.get("/me").status_code == 401
    assert browser.get("/").status_code == 302


def test_log_out_everywhere_only_by_post():
    user = UserFactory(username="feng")
    assert _logged_in(user).get("/logout/everywhere/").status_code == 405
