"""Schemathesis over every operation of the OpenAPI document, against the real app on the test
database, as an administrator and as a sales consultant (ae, scope own).

Each operation gets positive and negative examples (valid and invalid by the schema); every
answer must be no 5xx, a status code the operation documents, a body that matches the
documented schema, and, for an error, a JSON `{"detail": ...}`. Seeded ids (tests/fuzz/seed.py)
are swapped in for the drawn ones, so the examples reach records and not only 404s. Seeded and
derandomized: CI draws the same examples every run. See docs/api.md, "Fuzzing".
"""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from gendan.api.root import api
from gendan.org import services as org_services
from tests.fuzz.seed import seed_records

# Examples per operation and role (positive and negative together). The whole module takes
# about two minutes on SQLite and a little more on PostgreSQL on a 2-core machine.
MAX_EXAMPLES = 12

config = schemathesis.Config.from_dict(
    {
        "seed": 20240601,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        # Coverage (every boundary of every field, ~10x the requests) and stateful runs (chains
        # of links) do not fit in the time CI gives this module.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1/"), config=config
).exclude(
    # Posts a test message to the channel's chat robot: a request to the outside world.
    method="POST",
    path="/api/v1/chat-channels/{channel_id}/test",
)
schema.app = WSGIHandler()

KNOWN: dict[str, list[int]] = {}


def _known_ids(values):
    """Each id the fuzzer drew (in the path, the query or the body) is swapped, more often than
    not, for the id of a seeded record of that kind; the drawn value stays one of the choices."""
    if not isinstance(values, dict):
        return st.just(values)
    drawn = {
        name: st.sampled_from([*KNOWN[name], value]) if name in KNOWN else st.just(value)
        for name, value in values.items()
    }
    return st.fixed_dictionaries(drawn)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _known_ids(path_parameters)


@schema.hook
def flatmap_query(context, query):
    return _known_ids(query)


@schema.hook
def flatmap_body(context, body):
    return _known_ids(body)


def error_is_json(ctx, response, case):
    """Every error answer is JSON with a `detail`: never an HTML page or a traceback."""
    if response.status_code < 400:
        return None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
        f"{response.status_code} is not JSON: {response.text[:200]!r}"
    )
    body = json.loads(response.text)
    assert isinstance(body, dict) and isinstance(body.get("detail"), str), body
    return True


@pytest.fixture
def seeded(org, settings, tmp_path):
    # Uploads go to a folder of this test's own.
    settings.MEDIA_ROOT = tmp_path / "media"
    # The Django test client keeps the request signals from closing the connection, which
    # would end the test's transaction; the WSGI handler called directly needs the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    KNOWN.clear()
    KNOWN.update(seed_records(org))
    yield org
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {org_services.token_create(user=user, name='fuzz')[1]}"}


# One seeded organisation per operation and role: its examples share it (and what the earlier
# examples wrote), as one client's requests would.
SHARED_FIXTURE = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def as_admin(seeded):
    return _bearer(seeded.admin)


@pytest.fixture
def as_rep(seeded):
    return _bearer(seeded.owner)


# POST /auth/token is fuzzed too: the fuzzer's wrong passwords answer 401, then 429 once the
# account or the address is locked out (after five failures; a correct behaviour, documented),
# and each test starts with an empty cache and a fresh database, so no lock-out outlives it.


@schema.parametrize()
@SHARED_FIXTURE
def test_as_admin(case, as_admin):
    case.call_and_validate(headers=as_admin, additional_checks=[error_is_json])


@schema.parametrize()
@SHARED_FIXTURE
def test_as_rep(case, as_rep):
    case.call_and_validate(headers=as_rep, additional_checks=[error_is_json])
