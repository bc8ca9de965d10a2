"""Layouts through the API: everyone reads them (clients draw forms), administrators write."""

import pytest

from gendan.fields.models import Layout

BUSINESS = {"label_zh": "商务信息", "label_en": "Business", "fields": ["custom.segment", "amount"]}


@pytest.fixture
def api(api):
    def client(user=None):
        made = api(user)
        made.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return made

    return client


def test_an_administrator_saves_a_layout_and_a_rep_reads_it(org, api, segment):
    admin = api(org.admin)
    response = admin.put("/layouts/deal", {"sections": [BUSINESS], "hidden": ["notes"]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["sections"] == [BUSINESS] and body["hidden"] == ["notes"]
    assert body["saved"] and body["version"] == 1
    read = api(org.owner).get("/layouts/deal").json()
    assert read["sections"] == [BUSINESS]
    fields = {f["name"]: f for f in read["fields"]}
    assert fields["name"]["hideable"] is False and fields["notes"]["hidden"] is True
    assert fields["custom.segment"]["label"] == "Industry segment"
    listed = api(org.owner).get("/layouts").json()
    assert listed["count"] == 7
    assert [i["record_type"] for i in listed["items"]][:2] == ["lead", "customer"]


def test_a_rep_cannot_change_a_layout(org, api):
    response = api(org.owner).put("/layouts/lead", {"hidden": ["tags"]})
    assert response.status_code == 403
    assert api(org.owner).delete("/layouts/lead").status_code == 403
    assert not Layout.objects.exists()


@pytest.mark.parametrize(
    "body, where, message",
    [
        ({"hidden": ["name"]}, "hidden.0", "cannot be hidden"),
        ({"hidden": ["nope"]}, "hidden.0", "Unknown field"),
        ({"sections": [{"label_en": "a", "fields": ["x"]}]}, "sections.0.fields.0", "Unknown"),
        (
            {"sections": [{"label_en": "a", "fields": ["notes", "notes"]}]},
            "sections.0.fields.1",
            "two places",
        ),
    ],
)
def test_a_bad_layout_answers_422_per_field(org, api, body, where, message):
    response = api(org.admin).put("/layouts/deal", body)
    assert response.status_code == 422
    assert message in response.json()["errors"][where]
    assert not Layout.objects.exists()


def test_an_unknown_key_in_the_body_is_refused(org, api):
    response = api(org.admin).put("/layouts/deal", {"sections": [], "colour": "red"})
    assert response.status_code == 422


def test_a_pipeline_layout_falls_back_and_is_removed(org, api, second_pipeline):
    admin = api(org.admin)
    admin.put("/layouts/deal", {"hidden": ["notes"]})
    path = f"/layouts/deal?pipeline_id={second_pipeline.pk}"
    inherited = admin.get(path).json()
    assert inherited["inherited"] and inherited["hidden"] == ["notes"]
    saved = admin.put(path, {"hidden": ["risk_level"]}).json()
    assert not saved["inherited"] and saved["hidden"] == ["risk_level"]
    assert len(admin.get("/layouts", {"record_type": "deal"}).json()["items"]) == 2
    stale = admin.put(path, {"hidden": [], "version": saved["version"] + 5})
    assert stale.status_code == 409
    assert admin.delete(path).status_code == 204
    assert admin.get(path).json()["hidden"] == ["notes"]
    assert admin.get("/layouts/lead?pipeline_id=1").status_code == 422


def test_a_custom_field_a_role_may_not_see_is_named_nowhere(org, api, segment):
    admin = api(org.admin)
    admin.patch(f"/custom-fields/{segment.pk}", {"visible_to": ["sm"]})
    admin.put("/layouts/deal", {"sections": [BUSINESS], "hidden": ["custom.segment"]})
    read = api(org.owner).get("/layouts/deal").json()
    assert read["sections"][0]["fields"] == ["amount"] and read["hidden"] == []
    assert "custom.segment" not in {f["name"] for f in read["fields"]}


def test_the_layouts_are_in_the_openapi(org, api):
    schema = api(org.owner).get("/openapi.json").json()
    assert {"get", "put", "delete"} <= set(schema["paths"]["/api/v1/layouts/{record_type}"])
