"""Idempotency-Key on the API's POSTs: a repeated create answers the first answer, once."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from gendan.leads.models import Lead
from gendan.org import services as org_services
from gendan.org.idempotency import idempotency_purge
from gendan.org.models import IdempotentRequest
from gendan.org.tasks import idempotency_keys_purge
from tests.api.idempotency_race import race

ROOT = Path(__file__).resolve().parents[2]
LEAD = {"name": "Han Meimei", "company": "Acme", "phone": "13812345678"}


def _post(client, body=None, key="k-1", **headers):
    return client.post("/leads", body or LEAD, headers={"Idempotency-Key": key, **headers})


def test_a_repeated_create_answers_the_first_answer_without_creating_again(org, api):
    # given a create that was answered (and the answer lost on the way)
    client = api(org.manager)
    first = _post(client)
    assert first.status_code == 201 and not first.has_header("Idempotent-Replayed")
    # when the client sends it again with the same key
    again = _post(client)
    # then it gets the same answer, marked as replayed, and there is still one lead
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"] == first["Content-Type"]
    assert Lead.objects.filter(phone=LEAD["phone"]).count() == 1


def test_the_same_json_in_another_order_is_the_same_request(org, api):
    client = api(org.manager)
    first = _post(client)
    reordered = dict(reversed(list(LEAD.items())))
    again = _post(client, reordered)
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]


def test_another_token_of_the_same_user_gets_the_same_answer(org, api):
    first = _post(api(org.manager))
    again = _post(api(org.manager))
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()


def test_the_same_key_with_another_body_answers_422_and_writes_nothing(org, api):
    client = api(org.manager)
    _post(client)
    response = _post(client, {**LEAD, "name": "Li Lei"}, **{"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "This Idempotency-Key was already used for a different request."
    )
    assert not Lead.objects.filter(name="Li Lei").exists()


def test_the_same_key_on_another_endpoint_answers_422(org, api):
    client = api(org.manager)
    _post(client)
    response = client.post("/customers", {"name": "Acme"}, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 422


def test_keys_belong_to_their_user(org, api):
    first = _post(api(org.manager))
    other = _post(api(org.admin))
    assert other.status_code == 201 and not other.has_header("Idempotent-Replayed")
    assert other.json()["id"] != first.json()["id"]


def test_a_failed_request_is_not_kept_and_may_be_sent_again(org, api):
    # given a create refused by the service (a bad phone), after the key was claimed
    client = api(org.manager)
    refused = _post(client, {**LEAD, "phone": "not a phone"})
    assert refused.status_code == 422
    assert not IdempotentRequest.objects.exists()
    # when the corrected request is sent with the same key, it runs
    created = _post(client)
    assert created.status_code == 201 and not created.has_header("Idempotent-Replayed")


def test_without_a_key_every_post_creates(org, api):
    client = api(org.manager)
    client.post("/leads", LEAD)
    client.post("/leads", LEAD)
    assert Lead.objects.filter(phone=LEAD["phone"]).count() == 2
    assert not IdempotentRequest.objects.exists()


@pytest.mark.parametrize("key", ["", "   ", "x" * 256])
def test_a_key_must_have_1_to_255_characters(org, api, key):
    response = _post(api(org.manager), key=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Lead.objects.exists()


def test_a_key_of_255_characters_is_taken(org, api):
    client = api(org.manager)
    _post(client, key="x" * 255)
    assert _post(client, key="x" * 255)["Idempotent-Replayed"] == "true"


def test_answers_are_kept_a_day_then_purged(org, api):
    # given an answer kept a day and a minute ago, and a fresh one
    client = api(org.manager)
    _post(client, key="old")
    _post(client, {**LEAD, "phone": "13900000000"}, key="new")
    IdempotentRequest.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    # then the old key is free again even before the purge runs
    assert not _post(client, key="old").has_header("Idempotent-Replayed")
    IdempotentRequest.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    # and the hourly purge forgets it, keeping the fresh one
    assert idempotency_keys_purge.call_local() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    assert idempotency_purge() == 0


def test_the_token_endpoint_ignores_the_key(org, api):
    org.manager.set_password("secret-pass-1")
    org.manager.save()
    anonymous = api()
    body = {"username": "manager", "password": "secret-pass-1"}
    first = anonymous.post("/auth/token", body, headers={"Idempotency-Key": "t"})
    second = anonymous.post("/auth/token", body, headers={"Idempotency-Key": "t"})
    assert first.status_code == second.status_code == 201
    assert first.json()["token"] != second.json()["token"]


EXPECTED_RACE = {
    "statuses": [201, 201],
    "same_lead": True,
    "replayed": [False, True],
    "leads": 1,
    "errors": [],
}


def test_two_simultaneous_posts_with_one_key_on_a_sqlite_file_create_once(tmp_path):
    env = {**os.environ, "GENDAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.api.idempotency_race"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {**EXPECTED_RACE, "vendor": "sqlite"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections to one test database: PostgreSQL"
)
def test_two_simultaneous_posts_with_one_key_create_once():
    from tests.factories import UserFactory

    user = UserFactory(role_code="admin")
    _token, key = org_services.token_create(user=user, name="race")
    assert race(key) == EXPECTED_RACE
