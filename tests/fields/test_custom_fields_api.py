"""Custom fields through the API: an administrator defines them, every record carries them."""

import pytest

from gendan.activities.models import TimelineEvent
from gendan.fields.models import CustomField
from gendan.leads.models import Lead
from tests.factories import CustomerFactory, LeadFactory
from tests.fields.definitions import PLANT, SEGMENT


@pytest.fixture
def api(api):
    """Clients that ask for English (the messages below are checked in English)."""

    def client(user=None):
        made = api(user)
        made.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return made

    return client


@pytest.fixture
def fields(org, api):
    admin = api(org.admin)
    made = {}
    for body in (SEGMENT, PLANT):
        response = admin.post("/custom-fields", body)
        assert response.status_code == 201, response.json()
        made[body["key"]] = response.json()
    return made


def _lead(client, **custom):
    return client.post("/leads", {"name": "Zhang", "phone": "13800138000", "custom": custom})


def test_only_an_administrator_defines_fields(org, api):
    response = api(org.manager).post("/custom-fields", PLANT)
    assert response.status_code == 403
    assert not CustomField.objects.exists()


def test_a_field_is_listed_with_its_choices(org, api, fields):
    body = api(org.owner).get("/custom-fields", {"record_type": "deal"}).json()
    assert [f["key"] for f in body["items"]] == ["segment"]
    choices = body["items"][0]["choices"]
    assert [(c["value"], c["color"]) for c in choices] == [
        ("manufacturing", "#8a94a6"),
        ("retail", "#27ae60"),
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"key": "Plant Size"}, "key", "Lower-case letters"),
        ({"key": "phone"}, "key", "built-in field"),
        ({"type": "choice"}, "choices", "at least one choice"),
        ({"default": "big"}, "default", "Give a number"),
    ],
)
def test_a_bad_definition_is_refused_per_field(org, api, change, field, message):
    response = api(org.admin).post("/custom-fields", {**PLANT, **change})
    assert response.status_code == 422
    assert message in response.json()["errors"][field]
    assert not CustomField.objects.exists()


def test_a_key_is_used_once_per_record_type(org, api, fields):
    response = api(org.admin).post("/custom-fields", PLANT)
    assert response.status_code == 422
    assert "already has a field" in response.json()["errors"]["key"]
    # The same key on another record type is another field.
    assert (
        api(org.admin).post("/custom-fields", {**PLANT, "record_type": "customer"}).status_code
        == 201
    )


def test_a_record_carries_its_values_and_refuses_bad_ones(org, api, fields):
    client = api(org.owner)
    response = _lead(client, plant_size="12,500")
    assert response.status_code == 201, response.json()
    assert response.json()["custom"] == {"plant_size": 12500}
    before = Lead.objects.count()
    response = _lead(client, plant_size="big", budget_range="5w")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == {
        "custom.plant_size": "Give a number.",
        "custom.budget_range": "Unknown field.",
    }
    assert Lead.objects.count() == before


def test_field_messages_follow_the_callers_language(org, api, fields):
    response = api(org.owner).post(
        "/leads",
        {"name": "Zhang", "phone": "13800138000", "custom": {"plant_size": "big"}},
        headers={"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 422
    assert response.json()["errors"]["custom.plant_size"] == "请填写数字。"


def test_a_required_field_is_asked_for_when_the_record_is_made(org, api, fields):
    api(org.admin).patch(f"/custom-fields/{fields['segment']['id']}", {"required": True})
    customer = CustomerFactory(owner=org.owner)
    client = api(org.owner)
    response = client.post("/deals", {"name": "ERP", "customer_id": customer.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == {"custom.segment": "This field is required."}
    response = client.post(
        "/deals", {"name": "ERP", "customer_id": customer.pk, "custom": {"segment": "retail"}}
    )
    assert response.status_code == 201
    deal_id = response.json()["id"]
    # Other changes go through; emptying it does not.
    assert client.patch(f"/deals/{deal_id}", {"name": "ERP II"}).status_code == 200
    response = client.patch(f"/deals/{deal_id}", {"custom": {"segment": None}})
    assert response.status_code == 422


def test_a_patch_changes_the_keys_it_sends_and_the_timeline_shows_it(org, api, fields):
    api(org.admin).post(
        "/custom-fields",
        {"record_type": "lead", "key": "tender_no", "label_en": "Tender number", "type": "text"},
    )
    client = api(org.owner)
    lead_id = _lead(client, plant_size=800, tender_no="ZB-2026-17").json()["id"]
    response = client.patch(f"/leads/{lead_id}", {"custom": {"plant_size": 950.5}})
    assert response.json()["custom"] == {"plant_size": 950.5, "tender_no": "ZB-2026-17"}
    response = client.patch(f"/leads/{lead_id}", {"custom": {"tender_no": None}})
    assert response.json()["custom"] == {"plant_size": 950.5}
    changes = [
        e.data["fields"]
        for e in TimelineEvent.objects.filter(lead_id=lead_id, kind="updated").order_by("id")
    ]
    assert changes == [
        {"custom.plant_size": {"from": 800, "to": 950.5}},
        {"custom.tender_no": {"from": "ZB-2026-17", "to": None}},
    ]


def test_lists_filter_and_sort_by_custom_values(org, api, fields):
    client = api(org.owner)
    for name, size in (("a", 100), ("b", 2500), ("c", 800), ("d", None)):
        body = {"name": name, "phone": "13800138000"}
        if size is not None:
            body["custom"] = {"plant_size": size}
        assert client.post("/leads", body).status_code == 201

    def names(*conditions, ordering=None):
        params = {"cf": list(conditions)}
        if ordering:
            params["ordering"] = ordering
        response = client.get("/leads", params)
        assert response.status_code == 200, response.json()
        return [item["name"] for item in response.json()["items"]]

    assert names("plant_size:gte:500", ordering="custom.plant_size") == ["c", "b"]
    assert names("plant_size:gte:500", "plant_size:lte:1000") == ["c"]
    assert names("plant_size:in:100|800", ordering="-custom.plant_size") == ["c", "a"]
    assert names("plant_size:empty") == ["d"]
    assert sorted(names("plant_size:filled")) == ["a", "b", "c"]
    assert names(ordering="custom.plant_size") == ["a", "c", "b", "d"]
    response = client.get("/leads", {"cf": ["plant_size:gte:lots", "budget:eq:1"]})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"cf.plant_size", "cf.budget"}


def test_choice_filters_on_deals(org, api, fields):
    customer = CustomerFactory(owner=org.owner)
    client = api(org.owner)
    for name, segment in (("erp", "retail"), ("mes", "manufacturing"), ("crm", None)):
        custom = {"segment": segment} if segment else {}
        client.post("/deals", {"name": name, "customer_id": customer.pk, "custom": custom})
    items = client.get("/deals", {"cf": "segment:eq:retail"}).json()["items"]
    assert [d["name"] for d in items] == ["erp"]
    response = client.post(
        "/deals", {"name": "x", "customer_id": customer.pk, "custom": {"segment": "energy"}}
    )
    assert response.status_code == 422
    assert "manufacturing, retail" in response.json()["errors"]["custom.segment"]


def test_a_role_that_may_not_see_a_field_never_receives_it(org, api, fields):
    api(org.admin).patch(f"/custom-fields/{fields['plant_size']['id']}", {"visible_to": ["sm"]})
    lead = LeadFactory(owner=org.owner, custom={"plant_size": 900})
    rep, manager = api(org.owner), api(org.manager)
    assert rep.get(f"/leads/{lead.pk}").json()["custom"] == {}
    assert manager.get(f"/leads/{lead.pk}").json()["custom"] == {"plant_size": 900}
    assert [f["key"] for f in rep.get("/custom-fields").json()["items"]] == ["segment"]
    assert rep.get(f"/custom-fields/{fields['plant_size']['id']}").status_code == 404
    assert manager.get(f"/custom-fields/{fields['plant_size']['id']}").status_code == 200
    # Neither filtered by, nor written.
    assert rep.get("/leads", {"cf": "plant_size:gte:1"}).status_code == 422
    response = rep.patch(f"/leads/{lead.pk}", {"custom": {"plant_size": 1}})
    assert response.json()["errors"] == {"custom.plant_size": "Unknown field."}
    lead.refresh_from_db()
    assert lead.custom == {"plant_size": 900}


def test_a_field_some_roles_may_only_read(org, api, fields):
    api(org.admin).patch(f"/custom-fields/{fields['plant_size']['id']}", {"editable_by": ["sm"]})
    lead = LeadFactory(owner=org.owner, custom={"plant_size": 900})
    response = api(org.owner).patch(f"/leads/{lead.pk}", {"custom": {"plant_size": 1}})
    assert response.json()["errors"] == {"custom.plant_size": "You may not change this field."}
    response = api(org.manager).patch(f"/leads/{lead.pk}", {"custom": {"plant_size": 1}})
    assert response.json()["custom"] == {"plant_size": 1}


def test_a_used_choice_of_a_multiple_choice_stays(org, api):
    body = {
        **SEGMENT,
        "record_type": "lead",
        "key": "needs",
        "type": "multi_choice",
    }
    field_id = api(org.admin).post("/custom-fields", body).json()["id"]
    LeadFactory(owner=org.owner, custom={"needs": ["retail"]})
    kept = body["choices"][1:]
    response = api(org.admin).patch(f"/custom-fields/{field_id}", {"choices": kept})
    assert response.status_code == 200, response.json()
    response = api(org.admin).patch(f"/custom-fields/{field_id}", {"choices": body["choices"][:1]})
    assert response.status_code == 422
    assert "retail" in response.json()["errors"]["choices"]


def test_renaming_a_choice_keeps_the_data_and_a_used_choice_stays(org, api, fields):
    customer = CustomerFactory(owner=org.owner)
    deal = (
        api(org.owner)
        .post(
            "/deals", {"name": "erp", "customer_id": customer.pk, "custom": {"segment": "retail"}}
        )
        .json()
    )
    field_id = fields["segment"]["id"]
    renamed = [
        {"value": "manufacturing", "label_zh": "制造", "label_en": "Industry"},
        {"value": "retail", "label_zh": "零售与消费", "label_en": "Retail and consumer"},
    ]
    response = api(org.admin).patch(f"/custom-fields/{field_id}", {"choices": renamed})
    assert response.status_code == 200
    assert api(org.owner).get(f"/deals/{deal['id']}").json()["custom"] == {"segment": "retail"}
    response = api(org.admin).patch(f"/custom-fields/{field_id}", {"choices": renamed[:1]})
    assert response.status_code == 422
    assert "retail" in response.json()["errors"]["choices"]


def test_archive_hides_and_keeps_then_delete_removes_for_good(org, api, fields):
    lead = LeadFactory(owner=org.owner, custom={"plant_size": 900})
    admin, field_id = api(org.admin), fields["plant_size"]["id"]
    # Deleting asks for the field to be archived first, then for its key.
    assert admin.delete(f"/custom-fields/{field_id}?confirm=plant_size").status_code == 409
    assert admin.post(f"/custom-fields/{field_id}/archive", {}).status_code == 200
    assert api(org.owner).get(f"/leads/{lead.pk}").json()["custom"] == {}
    lead.refresh_from_db()
    assert lead.custom == {"plant_size": 900}
    admin.post(f"/custom-fields/{field_id}/archive", {"archived": False})
    assert api(org.owner).get(f"/leads/{lead.pk}").json()["custom"] == {"plant_size": 900}
    admin.post(f"/custom-fields/{field_id}/archive", {})
    response = admin.delete(f"/custom-fields/{field_id}?confirm=plant")
    assert response.status_code == 422
    response = admin.delete(f"/custom-fields/{field_id}?confirm=plant_size")
    assert response.json() == {"removed_values": 1}
    lead.refresh_from_db()
    assert lead.custom == {}
    assert not CustomField.objects.filter(pk=field_id).exists()


@pytest.mark.parametrize(
    ("field_type", "value", "stored"),
    [
        ("money", "12000.5", "12000.50"),
        ("date", "2026-12-03", "2026-12-03"),
        ("datetime", "2026-12-03T10:00:00+08:00", "2026-12-03T02:00:00Z"),
        ("boolean", True, True),
        ("multi_choice", ["b", "a", "b"], ["a", "b"]),
        ("phone", "+86 138-0013-8000", "+86 138-0013-8000"),
        ("email", "li@example.com", "li@example.com"),
        ("url", "example.com/about", "example.com/about"),
        ("long_text", "多行\n说明", "多行\n说明"),
    ],
)
def test_each_type_keeps_its_form(org, api, field_type, value, stored):
    body = {"record_type": "customer", "key": "extra", "label_en": "Extra", "type": field_type}
    if "choice" in field_type:
        body["choices"] = [{"value": "a", "label_en": "A"}, {"value": "b", "label_en": "B"}]
    assert api(org.admin).post("/custom-fields", body).status_code == 201
    response = api(org.owner).post("/customers", {"name": "ACME", "custom": {"extra": value}})
    assert response.status_code == 201, response.json()
    assert response.json()["custom"] == {"extra": stored}


@pytest.mark.parametrize(
    ("field_type", "value"),
    [
        ("money", "1.234"),
        ("date", "03/12/2026"),
        ("boolean", "yes"),
        ("email", "not-an-email"),
        ("user", 999999),
        ("text", "x" * 256),
    ],
)
def test_each_type_refuses_what_it_cannot_hold(org, api, field_type, value):
    body = {"record_type": "customer", "key": "extra", "label_en": "Extra", "type": field_type}
    assert api(org.admin).post("/custom-fields", body).status_code == 201
    response = api(org.owner).post("/customers", {"name": "ACME", "custom": {"extra": value}})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["custom.extra"]


def test_a_default_fills_a_new_record(org, api):
    body = {**PLANT, "default": 1000}
    assert api(org.admin).post("/custom-fields", body).status_code == 201
    assert _lead(api(org.owner)).json()["custom"] == {"plant_size": 1000}


def test_a_list_filtered_by_custom_values_counts_up_to_its_own_limit(org, api, fields, settings):
    settings.GENDAN_CUSTOM_COUNT_LIMIT = 2
    for size in (100, 200, 300):
        LeadFactory(owner=org.owner, custom={"plant_size": size})
    client = api(org.owner)
    filtered = client.get("/leads", {"cf": "plant_size:gte:100"}).json()
    assert (filtered["count"], filtered["count_capped"], len(filtered["items"])) == (2, True, 3)
    # Without a custom condition the list counts up to the general limit.
    assert client.get("/leads").json() | {"items": None} == {
        "count": 3,
        "count_capped": False,
        "items": None,
    }
