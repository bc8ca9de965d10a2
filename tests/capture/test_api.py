"""/api/v1/lead-forms: administrators only; errors per field; 404 for what does not exist."""

from gendan.capture.models import LeadForm
from tests.capture.conftest import FIELDS

EN = {"Accept-Language": "en"}


def test_an_administrator_creates_reads_changes_and_archives_a_form(org, api, ops, budget):
    admin = api(org.admin)
    created = admin.post(
        "/lead-forms", {"name": "Website", "owner_id": ops.pk, "fields": FIELDS, "tags": ["web"]}
    )
    assert created.status_code == 201
    body = created.json()
    assert body["source"] == "web_form" and body["url"].endswith(f"/f/{body['token']}/")
    assert [f["field"] for f in body["fields"]][-1] == "custom.budget_range"
    listed = admin.get("/lead-forms").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    changed = admin.patch(f"/lead-forms/{body['id']}", {"name": "Site", "version": 1})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = admin.patch(f"/lead-forms/{body['id']}", {"name": "Old", "version": 1})
    assert stale.status_code == 409
    token = admin.post(f"/lead-forms/{body['id']}/token").json()["token"]
    assert token != body["token"]
    assert admin.delete(f"/lead-forms/{body['id']}").status_code == 204
    assert admin.get("/lead-forms").json()["count"] == 0
    assert admin.get("/lead-forms", {"archived": "true"}).json()["count"] == 1


def test_bad_input_is_refused_per_field_and_nothing_is_written(org, api, ops, budget):
    admin = api(org.admin)
    unknown = admin.post(
        "/lead-forms", {"name": "x", "owner_id": ops.pk, "fields": FIELDS, "colour": "red"}
    )
    assert unknown.status_code == 422
    bad = admin.post(
        "/lead-forms",
        {"name": "x", "owner_id": ops.pk, "fields": [{"field": "name"}, {"field": "salary"}]},
        headers=EN,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"fields.1.field": "No such lead field."}
    assert not LeadForm.objects.exists()


def test_other_roles_are_refused_and_a_missing_form_is_404(org, api, lead_form):
    for user in (org.manager, org.owner):
        client = api(user)
        assert client.get("/lead-forms").status_code == 403
        assert client.get(f"/lead-forms/{lead_form.pk}").status_code == 403
        assert client.post("/lead-forms", {"name": "x"}).status_code in (403, 422)
    assert api(org.admin).get("/lead-forms/999999").status_code == 404
    assert api(org.admin).patch("/lead-forms/999999", {"name": "x"}).status_code == 404


def test_the_openapi_documents_the_lead_forms(api, org):
    paths = api(org.admin).get("/openapi.json").json()["paths"]
    assert {"/api/v1/lead-forms", "/api/v1/lead-forms/{form_id}"} <= set(paths)
