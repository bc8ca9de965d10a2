"""The conversion mapping: an administrator maps lead fields onto the customer's, contact's and
deal's custom fields, and a conversion carries the lead's values into the new records."""

import pytest
from django.utils import translation

from gendan.core.errors import PermissionDenied, ValidationFailed
from gendan.customers.models import Contact, Customer
from gendan.deals import conversion
from gendan.deals.models import Deal
from gendan.fields import layout_services, mapping, services
from gendan.fields.models import FieldMapping
from tests.factories import CustomerFactory, LeadFactory

BUDGET = {
    "key": "budget_range",
    "label_zh": "预算范围",
    "label_en": "Budget range",
    "type": "choice",
    "choices": [
        {"value": "under_500k", "label_zh": "50万以下", "label_en": "Under 500k"},
        {"value": "over_2m", "label_zh": "200万以上", "label_en": "Over 2m"},
    ],
}


def _field(org, record_type, **data):
    body = {**BUDGET, **data, "record_type": record_type}
    if body["type"] not in ("choice", "multi_choice"):
        body["choices"] = []
    return services.field_create(actor=org.admin, data=body)


def _map(org, source_key, target_type, target_key):
    return mapping.mapping_create(
        actor=org.admin,
        data={"source_key": source_key, "target_type": target_type, "target_key": target_key},
    )


@pytest.fixture(autouse=True)
def _english():
    """The messages below are checked in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def budgets(org):
    """预算范围 on leads and deals, mapped; 员工人数 on leads, mapped onto a customer text."""
    _field(org, "lead")
    _field(org, "deal")
    _field(org, "lead", key="employees", label_zh="员工人数", label_en="Employees", type="number")
    _field(org, "customer", key="headcount", label_zh="规模", label_en="Headcount", type="text")
    _field(org, "contact", key="origin", label_zh="来源", label_en="Origin", type="text")
    _map(org, "budget_range", "deal", "budget_range")
    _map(org, "employees", "customer", "headcount")
    _map(org, "source", "contact", "origin")


def test_same_type_and_text_targets_are_accepted(org, budgets):
    pairs = {(m.source_key, m.target_type, m.target_key) for m in FieldMapping.objects.all()}
    assert pairs == {
        ("budget_range", "deal", "budget_range"),
        ("employees", "customer", "headcount"),
        ("source", "contact", "origin"),
    }


def test_an_incompatible_pair_is_refused_with_a_message(org, budgets):
    _field(org, "deal", key="deal_size", label_zh="规模", label_en="Size", type="number")
    with pytest.raises(ValidationFailed) as exc:
        _map(org, "budget_range", "deal", "deal_size")
    assert "cannot fill" in str(exc.value.errors["target_key"])
    assert FieldMapping.objects.count() == 3


def test_choices_without_a_common_value_are_refused(org, budgets):
    other = [{"value": "small", "label_zh": "小", "label_en": "Small"}]
    _field(org, "customer", key="tier", type="choice", choices=other)
    with pytest.raises(ValidationFailed) as exc:
        _map(org, "budget_range", "customer", "tier")
    assert "value" in str(exc.value.errors["target_key"])


def test_one_source_per_target_and_unknown_fields(org, budgets):
    with pytest.raises(ValidationFailed):
        _map(org, "budget_range", "deal", "budget_range")
    with pytest.raises(ValidationFailed) as exc:
        _map(org, "nope", "deal", "budget_range")
    assert "source_key" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        _map(org, "budget_range", "lead", "budget_range")
    assert "target_type" in exc.value.errors


def test_only_an_administrator_maps(org, budgets, api):
    with pytest.raises(PermissionDenied):
        mapping.mapping_create(
            actor=org.manager,
            data={"source_key": "company", "target_type": "customer", "target_key": "headcount"},
        )
    assert api(org.manager).get("/custom-fields/mappings").status_code == 403
    assert (
        api(org.owner)
        .delete(f"/custom-fields/mappings/{FieldMapping.objects.first().pk}")
        .status_code
        == 403
    )


def test_the_api_lists_adds_and_removes_mappings(org, budgets, api):
    admin = api(org.admin)
    assert len(admin.get("/custom-fields/mappings").json()) == 3
    created = admin.post(
        "/custom-fields/mappings",
        {"source_key": "company", "target_type": "contact", "target_key": "origin"},
    )
    assert created.status_code == 422  # origin is filled by source already
    FieldMapping.objects.filter(target_key="origin").delete()
    created = admin.post(
        "/custom-fields/mappings",
        {"source_key": "company", "target_type": "contact", "target_key": "origin"},
    )
    assert created.status_code == 201, created.json()
    assert admin.delete(f"/custom-fields/mappings/{created.json()['id']}").status_code == 204
    assert len(admin.get("/custom-fields/mappings").json()) == 2


def test_a_conversion_carries_mapped_values(org, budgets):
    lead = LeadFactory(
        owner=org.owner, source="referral", custom={"budget_range": "over_2m", "employees": 320}
    )
    links = conversion.lead_convert(actor=org.owner, lead_id=lead.pk, deal={})
    assert Deal.objects.get(pk=links["deal_id"]).custom == {"budget_range": "over_2m"}
    assert Customer.objects.get(pk=links["customer_id"]).custom == {"headcount": "320"}
    origin = Contact.objects.get(pk=links["contact_id"]).custom["origin"]
    assert origin in ("转介绍", "Referral")


def test_a_value_given_in_the_conversion_wins(org, budgets):
    lead = LeadFactory(owner=org.owner, custom={"budget_range": "over_2m"})
    links = conversion.lead_convert(
        actor=org.owner, lead_id=lead.pk, deal={"custom": {"budget_range": "under_500k"}}
    )
    assert Deal.objects.get(pk=links["deal_id"]).custom == {"budget_range": "under_500k"}


def test_an_existing_customer_only_gets_its_empty_fields(org, budgets):
    _field(org, "lead", key="plant", label_zh="厂区", label_en="Plant", type="text")
    _field(org, "customer", key="plant", label_zh="厂区", label_en="Plant", type="text")
    _map(org, "plant", "customer", "plant")
    customer = CustomerFactory(owner=org.owner, custom={"headcount": "50"})
    lead = LeadFactory(owner=org.owner, custom={"employees": 320, "plant": "苏州"})
    conversion.lead_convert(actor=org.owner, lead_id=lead.pk, customer_id=customer.pk)
    customer.refresh_from_db()
    assert customer.custom == {"headcount": "50", "plant": "苏州"}


def test_a_mapped_required_field_is_filled_by_the_lead(org, budgets):
    services.field_update(
        actor=org.admin,
        field_id=services.CustomField.objects.get(record_type="deal", key="budget_range").pk,
        data={"required": True},
    )
    _field(org, "deal", key="note", label_zh="备注", label_en="Note", type="text")
    lead = LeadFactory(owner=org.owner, custom={"budget_range": "over_2m"})
    links = conversion.lead_convert(
        actor=org.owner, lead_id=lead.pk, deal={"custom": {"note": "急"}}
    )
    assert Deal.objects.get(pk=links["deal_id"]).custom == {"budget_range": "over_2m", "note": "急"}
    # Without the lead's value the person converting is asked for it.
    bare = LeadFactory(owner=org.owner)
    with pytest.raises(ValidationFailed) as exc:
        conversion.lead_convert(actor=org.owner, lead_id=bare.pk, deal={"custom": {"note": "x"}})
    assert "custom.budget_range" in exc.value.errors and exc.value.extra["part"] == "deal"


def test_a_lead_field_the_converter_may_not_see_is_not_carried(org, budgets):
    field = services.CustomField.objects.get(record_type="lead", key="budget_range")
    services.field_update(actor=org.admin, field_id=field.pk, data={"visible_to": ["sm"]})
    lead = LeadFactory(owner=org.owner, custom={"budget_range": "over_2m"})
    links = conversion.lead_convert(actor=org.owner, lead_id=lead.pk, deal={})
    assert Deal.objects.get(pk=links["deal_id"]).custom == {}


def test_the_conversion_dialog_shows_what_is_carried(org, budgets, client):
    lead = LeadFactory(owner=org.owner, custom={"budget_range": "over_2m"})
    client.force_login(org.owner)
    page = client.get(f"/leads/{lead.pk}/convert/", headers={"Accept-Language": "en"})
    html = page.content.decode()
    # The mapped value starts the new deal's field, which the dialog shows...
    assert 'name="deal-cf_budget_range"' in html
    assert '<option value="over_2m" selected>Over 2m</option>' in html
    # ...and a value carried into a field the layout hides is listed instead.
    layout_services.layout_save(
        actor=org.admin, record_type="deal", sections=[], hidden=["custom.budget_range"]
    )
    html = client.get(
        f"/leads/{lead.pk}/convert/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert 'name="deal-cf_budget_range"' not in html
    assert 'data-testid="carried-values"' in html and "Over 2m" in html


def test_the_settings_page_adds_and_removes_a_mapping(org, budgets, client):
    client.force_login(org.admin)
    page = client.get("/settings/fields/conversion/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Budget range" in page.content.decode()
    bad = client.post(
        "/settings/fields/conversion/",
        {"source_key": "employees", "target": "deal:budget_range"},
        headers={"Accept-Language": "en"},
    )
    assert "cannot fill" in bad.content.decode() or "already fills" in bad.content.decode()
    one = FieldMapping.objects.get(target_key="origin")
    client.post(f"/settings/fields/conversion/{one.pk}/delete/")
    assert not FieldMapping.objects.filter(pk=one.pk).exists()
    client.force_login(org.manager)
    assert client.get("/settings/fields/conversion/").status_code in (403, 404)


def test_the_api_conversion_takes_custom_values_over_the_mapped_ones(org, budgets, api):
    lead = LeadFactory(owner=org.owner, custom={"budget_range": "over_2m", "employees": 12})
    body = {
        "customer": {"custom": {"headcount": "about a dozen"}},
        "deal": {"name": "Pilot", "custom": {"budget_range": "under_500k"}},
    }
    response = api(org.owner).post(f"/leads/{lead.pk}/convert", body)
    assert response.status_code == 201, response.json()
    links = response.json()
    assert Deal.objects.get(pk=links["deal_id"]).custom == {"budget_range": "under_500k"}
    assert Customer.objects.get(pk=links["customer_id"]).custom == {"headcount": "about a dozen"}


def test_a_user_field_is_carried_into_a_text_field_by_name(org, budgets):
    _field(org, "lead", key="referrer", label_zh="推荐人", label_en="Referrer", type="user")
    _field(org, "deal", key="referred_by", label_zh="推荐", label_en="Referred by", type="text")
    _map(org, "referrer", "deal", "referred_by")
    lead = LeadFactory(owner=org.owner, custom={"referrer": org.peer.pk})
    links = conversion.lead_convert(actor=org.owner, lead_id=lead.pk, deal={})
    assert Deal.objects.get(pk=links["deal_id"]).custom["referred_by"] == org.peer.name


def test_a_choice_the_target_lacks_is_left_out(org, budgets):
    services.field_update(
        actor=org.admin,
        field_id=services.CustomField.objects.get(record_type="lead", key="budget_range").pk,
        data={
            "choices": [
                *BUDGET["choices"],
                {"value": "k500_2m", "label_zh": "中", "label_en": "Mid"},
            ]
        },
    )
    lead = LeadFactory(owner=org.owner, custom={"budget_range": "k500_2m"})
    links = conversion.lead_convert(actor=org.owner, lead_id=lead.pk, deal={})
    assert Deal.objects.get(pk=links["deal_id"]).custom == {}
