"""What the fuzzer (tests/fuzz) found: every error is documented in the OpenAPI document, and
input no database can keep is refused per field instead of failing in the database."""

from django.test import Client

from gendan.leads.models import Lead
from tests.conftest import API
from tests.factories import DealFactory

EN = {"Accept-Language": "en"}


def _responses(client, path, method):
    document = client.get("/openapi.json").json()
    return document["paths"][API + path][method]["responses"]


def test_every_operation_documents_the_errors_it_answers(org, api):
    client = api(org.admin)
    detail = _responses(client, "/leads/{lead_id}", "get")
    assert {"401", "403", "404", "422"} <= set(detail)
    assert detail["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert {"400", "401", "403", "409", "422"} <= set(_responses(client, "/leads", "post"))
    assert {"401", "422", "429"} <= set(_responses(client, "/auth/token", "post"))
    assert "404" in _responses(client, "/timeline", "get")
    assert "404" in _responses(client, "/deals/board", "get")
    assert "413" in _responses(client, "/attachments", "post")


def test_a_body_that_is_no_json_answers_400_in_the_callers_language(org, api):
    response = Client().post(
        API + "/leads",
        b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api(org.owner).token}", **EN},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


def test_a_nul_character_in_a_body_is_refused_by_field_and_nothing_is_written(org, api):
    response = api(org.owner).post(
        "/leads", {"name": "Wang\x00Lei", "phone": "13800000000"}, headers=EN
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": "This text contains a NUL character (\\u0000)."}
    assert not Lead.objects.exists()


def test_an_unpaired_surrogate_in_a_body_is_refused_by_field(org, api):
    response = Client().post(
        API + "/leads",
        b'{"name": "Wang \\ud83d", "phone": "13800000000"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {api(org.owner).token}", **EN},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "name": "This text contains an unpaired \\uXXXX surrogate."
    }
    assert not Lead.objects.exists()


def test_a_nul_character_in_a_query_is_refused_by_field(org, api):
    response = api(org.owner).get("/leads", {"q": "Wang\x00"}, headers=EN)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"q"}


def test_a_moment_with_a_wide_utc_offset_is_read_as_that_moment(org, api):
    # ISO-8601 allows an offset up to 23:59, PostgreSQL only up to 15:59.
    deal = DealFactory(owner=org.owner)
    response = api(org.owner).get("/deals", {"created_from": "2000-01-01T00:00:00-19:34"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [deal.pk]


def test_a_moment_before_the_year_1_in_utc_is_refused_by_field(org, api):
    response = api(org.owner).get("/deals", {"created_to": "0001-01-01T00:00:00+05:00"}, headers=EN)
    assert response.status_code == 422
    assert response.json()["errors"] == {"created_to": "This moment is out of range."}
