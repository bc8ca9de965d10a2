"""The API contract every resource keeps (DESIGN.md §4)."""

import json

import pytest
from django.test import Client
from openapi_spec_validator import validate

from gendan.customers.models import Customer
from gendan.deals.models import Deal
from gendan.leads.models import Lead
from gendan.org.models import Role
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    DealFactory,
    LeadFactory,
    TaskFactory,
    default_pipeline,
)

ENDPOINTS = [
    ("post", "/api/v1/auth/token"),
    ("get", "/api/v1/auth/tokens"),
    ("delete", "/api/v1/auth/tokens/{token_id}"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{user_id}"),
    ("patch", "/api/v1/users/{user_id}"),
    ("delete", "/api/v1/users/{user_id}"),
    ("get", "/api/v1/teams"),
    ("post", "/api/v1/teams"),
    ("get", "/api/v1/teams/{team_id}"),
    ("patch", "/api/v1/teams/{team_id}"),
    ("delete", "/api/v1/teams/{team_id}"),
    ("get", "/api/v1/roles"),
    ("get", "/api/v1/roles/{role_id}"),
    ("patch", "/api/v1/roles/{role_id}"),
    ("get", "/api/v1/pipelines"),
    ("post", "/api/v1/pipelines"),
    ("get", "/api/v1/pipelines/{pipeline_id}"),
    ("patch", "/api/v1/pipelines/{pipeline_id}"),
    ("delete", "/api/v1/pipelines/{pipeline_id}"),
    ("post", "/api/v1/pipelines/{pipeline_id}/stages"),
    ("patch", "/api/v1/pipelines/{pipeline_id}/stages/{stage_id}"),
    ("delete", "/api/v1/pipelines/{pipeline_id}/stages/{stage_id}"),
    ("get", "/api/v1/leads"),
    ("post", "/api/v1/leads"),
    ("get", "/api/v1/leads/{lead_id}"),
    ("patch", "/api/v1/leads/{lead_id}"),
    ("delete", "/api/v1/leads/{lead_id}"),
    ("post", "/api/v1/leads/{lead_id}/convert"),
    ("get", "/api/v1/customers"),
    ("post", "/api/v1/customers"),
    ("get", "/api/v1/customers/{customer_id}"),
    ("patch", "/api/v1/customers/{customer_id}"),
    ("delete", "/api/v1/customers/{customer_id}"),
    ("get", "/api/v1/contacts"),
    ("post", "/api/v1/contacts"),
    ("get", "/api/v1/contacts/{contact_id}"),
    ("patch", "/api/v1/contacts/{contact_id}"),
    ("delete", "/api/v1/contacts/{contact_id}"),
    ("get", "/api/v1/deals"),
    ("post", "/api/v1/deals"),
    ("get", "/api/v1/deals/board"),
    ("get", "/api/v1/deals/{deal_id}"),
    ("patch", "/api/v1/deals/{deal_id}"),
    ("delete", "/api/v1/deals/{deal_id}"),
    ("post", "/api/v1/deals/{deal_id}/move"),
    ("get", "/api/v1/deals/{deal_id}/stage-history"),
    ("post", "/api/v1/deals/{deal_id}/collaborators"),
    ("delete", "/api/v1/deals/{deal_id}/collaborators/{user_id}"),
    ("get", "/api/v1/activities"),
    ("post", "/api/v1/activities"),
    ("get", "/api/v1/activities/{activity_id}"),
    ("patch", "/api/v1/activities/{activity_id}"),
    ("delete", "/api/v1/activities/{activity_id}"),
    ("get", "/api/v1/tasks"),
    ("post", "/api/v1/tasks"),
    ("get", "/api/v1/tasks/{task_id}"),
    ("patch", "/api/v1/tasks/{task_id}"),
    ("delete", "/api/v1/tasks/{task_id}"),
    ("get", "/api/v1/timeline"),
]


def test_lists_answer_items_and_count_by_page(org, api):
    # given 7 leads
    LeadFactory.create_batch(7, owner=org.owner)
    client = api(org.owner)
    # when they are read three at a time
    pages = [client.get("/leads", {"page": n, "page_size": 3}).json() for n in (1, 2, 3, 4)]
    # then every page says the total, and the pages split the leads without overlap
    assert [p["count"] for p in pages] == [7, 7, 7, 7]
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    ids = [item["id"] for p in pages for item in p["items"]]
    assert len(set(ids)) == 7


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 0}, {"page_size": 10_000}])
def test_bad_paging_answers_422(org, api, params):
    response = api(org.owner).get("/leads", params)
    assert response.status_code == 422
    assert set(response.json()["errors"]) <= {"page", "page_size", "page.page", "page.page_size"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/leads", {"name": "Han Meimei", "phone": "13800000000"}),
        ("/customers", {"name": "Acme"}),
        ("/tasks", {"title": "Send the proposal"}),
    ],
)
def test_create_answers_201_with_the_record(org, api, path, body):
    response = api(org.owner).post(path, body)
    assert response.status_code == 201
    record = response.json()
    assert {"id", "version", "created_at", "updated_at"} <= record.keys()
    assert record["version"] == 1
    assert api(org.owner).get(f"{path}/{record['id']}").json() == record


def test_patch_bumps_the_version(org, api):
    lead = LeadFactory(owner=org.owner)
    response = api(org.owner).patch(f"/leads/{lead.pk}", {"name": "New name", "version": 1})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["name"] == "New name"


@pytest.mark.parametrize("resource", ["leads", "customers", "deals", "contacts", "tasks"])
@pytest.mark.parametrize("how", ["body", "if-match"])
def test_stale_version_answers_409_and_changes_nothing(org, api, resource, how):
    # given a record someone else changed since the caller read it (version 1 -> 2)
    client = api(org.owner)
    created = {
        "leads": lambda: client.post("/leads", {"name": "L", "company": "C"}),
        "customers": lambda: client.post("/customers", {"name": "C"}),
        "deals": lambda: client.post(
            "/deals", {"name": "D", "customer_id": CustomerFactory(owner=org.owner).pk}
        ),
        "contacts": lambda: client.post(
            "/contacts", {"name": "C", "customer_id": CustomerFactory(owner=org.owner).pk}
        ),
        "tasks": lambda: client.post("/tasks", {"title": "T"}),
    }[resource]().json()
    path = f"/{resource}/{created['id']}"
    field = "title" if resource == "tasks" else "name"
    assert client.patch(path, {field: "first"}).json()["version"] == 2
    # when the caller saves with the version they read
    if how == "body":
        response = client.patch(path, {field: "second", "version": 1})
    else:
        response = client.patch(path, {field: "second"}, headers={"If-Match": "1"})
    # then 409, and the record keeps the other change
    assert response.status_code == 409
    assert "detail" in response.json()
    current = client.get(path).json()
    assert current[field] == "first"
    assert current["version"] == 2


def test_if_match_with_the_current_version_succeeds(org, api):
    lead = LeadFactory(owner=org.owner)
    response = api(org.owner).patch(
        f"/leads/{lead.pk}", {"name": "ok"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200


def test_bad_input_answers_422_per_field_and_writes_nothing(org, api):
    client = api(org.owner)
    before = Lead.objects.count()
    response = client.post("/leads", {"name": "", "source": "carrier-pigeon", "phone": "1" * 99})
    assert response.status_code == 422
    body = response.json()
    assert "detail" in body
    assert {"name", "source", "phone"} <= set(body["errors"])
    assert all(isinstance(message, str) and message for message in body["errors"].values())
    assert Lead.objects.count() == before


def test_domain_validation_answers_422_and_writes_nothing(org, api):
    # a lead needs some way to reach them
    before = Lead.objects.count()
    response = api(org.owner).post("/leads", {"name": "Nameless"})
    assert response.status_code == 422
    assert "phone" in response.json()["errors"]
    assert Lead.objects.count() == before


def test_deal_with_bad_fields_writes_nothing(org, api):
    customer = CustomerFactory(owner=org.owner)
    before = (Deal.objects.count(), Customer.objects.count())
    response = api(org.owner).post(
        "/deals",
        {"name": "D", "customer_id": customer.pk, "amount": "-5", "currency": "yuan"},
    )
    assert response.status_code == 422
    assert {"amount", "currency"} <= set(response.json()["errors"])
    assert (Deal.objects.count(), Customer.objects.count()) == before


def test_missing_required_body_field_is_named(org, api):
    response = api(org.owner).post("/deals", {"name": "No customer"})
    assert response.status_code == 422
    assert "customer_id" in response.json()["errors"]


def test_malformed_json_is_a_json_error(org, api):
    client = api(org.owner)
    response = client.client.post(
        "/api/v1/leads",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("path", ["/api/v1/xyz", "/api/v1/leads/1/nothing", "/api/v2/leads"])
def test_unknown_paths_answer_json_404(org, path):
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_wrong_method_answers_json_405(org, api):
    response = api(org.admin).delete("/roles/1")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_non_numeric_id_is_a_json_error(org, api):
    response = api(org.owner).get("/leads/abc")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()


def test_missing_record_answers_json_404(org, api):
    response = api(org.owner).get("/leads/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}


def test_every_endpoint_is_in_the_openapi_schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    missing = [(m, p) for m, p in ENDPOINTS if m not in paths.get(p, {})]
    assert missing == []


def _refuse_repeated_keys(pairs):
    keys = [key for key, _value in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"keys given twice: {repeated}"
    return dict(pairs)


def test_the_openapi_document_is_valid_openapi_3_1_with_no_key_twice(db):
    # Swagger UI refuses a document with a key given twice ("duplicated mapping key"):
    # `GET /quotes/{id}/pdf` once listed its 200 answer as both 200 and "200".
    response = Client().get("/api/v1/openapi.json")
    document = json.loads(response.content, object_pairs_hook=_refuse_repeated_keys)
    assert document["openapi"].startswith("3.1")
    validate(document)
    pdf = document["paths"]["/api/v1/quotes/{quote_id}/pdf"]["get"]["responses"]
    assert "application/pdf" in pdf["200"]["content"]
    assert all(isinstance(code, str) for code in pdf)


def test_docs_page_answers_and_loads_nothing_from_the_internet(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "https://" not in page and "http://" not in page


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        ("leads", "name"),
        ("leads", "source"),
        ("customers", "status"),
        ("contacts", "is_primary"),
        ("deals", "currency"),
        ("tasks", "status"),
        ("activities", "summary"),
        ("users", "email"),
        ("teams", "name"),
        ("roles", "scope"),
        ("pipelines", "is_active"),
        ("stages", "probability"),
    ],
)
def test_null_for_a_required_field_answers_422(org, api, resource, field):
    # given a record of each kind
    deal = DealFactory(owner=org.admin)
    pipeline = default_pipeline()
    paths = {
        "leads": f"/leads/{LeadFactory(owner=org.admin).pk}",
        "customers": f"/customers/{deal.customer_id}",
        "contacts": f"/contacts/{ContactFactory(customer=deal.customer).pk}",
        "deals": f"/deals/{deal.pk}",
        "tasks": f"/tasks/{TaskFactory(assignee=org.admin).pk}",
        "activities": f"/activities/{ActivityFactory(lead__owner=org.admin).pk}",
        "users": f"/users/{org.owner.pk}",
        "teams": f"/teams/{org.team_a.pk}",
        "roles": f"/roles/{Role.objects.get(code='ae').pk}",
        "pipelines": f"/pipelines/{pipeline.pk}",
        "stages": f"/pipelines/{pipeline.pk}/stages/{pipeline.stages.first().pk}",
    }
    client = api(org.admin)
    before = client.get(paths[resource]).json() if resource != "stages" else None
    # when a PATCH sends null for a field that must have a value
    response = client.patch(paths[resource], {field: None})
    # then 422 names the field and the record is unchanged
    assert response.status_code == 422
    assert field in response.json()["errors"]
    if before is not None:
        assert client.get(paths[resource]).json() == before


def test_null_clears_an_optional_field(org, api):
    deal = DealFactory(owner=org.owner, expected_close_date="2030-01-01")
    response = api(org.owner).patch(f"/deals/{deal.pk}", {"expected_close_date": None})
    assert response.status_code == 200
    assert response.json()["expected_close_date"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/users/999999",
        "/teams/999999",
        "/roles/999999",
        "/pipelines/999999",
        "/leads/999999",
        "/customers/999999",
        "/contacts/999999",
        "/deals/999999",
        "/tasks/999999",
        "/activities/999999",
    ],
)
def test_patching_a_missing_record_answers_404(org, api, path):
    response = api(org.admin).patch(path, {"version": 1})
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/leads/{2**63}"),
        ("get", f"/leads?owner_id={2**63}"),
        ("get", f"/deals?stage_id={2**63}"),
        ("get", f"/leads?page={2**63}"),
        ("patch", f"/users/{2**63}"),
        ("post", "/tasks"),
    ],
)
def test_numbers_out_of_range_are_bad_input_not_a_crash(org, api, method, path):
    client = api(org.admin)
    if method == "post":
        response = client.post(path, {"title": "x", "assignee_id": 2**63})
    else:
        response = getattr(client, method)(path, *([{"name": "x"}] if method == "patch" else []))
    # (PostgreSQL may simply find nothing for a filter; SQLite cannot bind the number)
    allowed = (200, 404, 422) if "?" in path else (404, 422)
    assert response.status_code in allowed
    assert response["Content-Type"].startswith("application/json")
