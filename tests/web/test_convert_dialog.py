"""The conversion dialog asks the custom fields of the customer, contact and deal it makes:
started with what the mapping carries, as the user may see and change them, required ones
asked only of the records made, errors next to their field, nothing written on an error."""

import re

import pytest
from django.test import Client

from gendan.customers.models import Contact, Customer
from gendan.deals import services as deal_services
from gendan.deals.models import Deal
from gendan.fields import layout_services, mapping, services
from gendan.leads.models import Lead
from tests.factories import CustomerFactory, LeadFactory

EN = {"Accept-Language": "en"}
TIER = [
    {"value": "gold", "label_zh": "金牌", "label_en": "Gold"},
    {"value": "silver", "label_zh": "银牌", "label_en": "Silver"},
]


def _field(org, record_type, key, type="text", **extra):
    data = {"record_type": record_type, "key": key, "label_zh": key, "label_en": key.title()}
    return services.field_create(actor=org.admin, data={**data, "type": type, **extra})


@pytest.fixture
def fields(org):
    """Lead tier → deal tier (mapped); a required deal budget; a customer plant; a contact
    hobby; a deal note the reps may not see, and a customer grade they may not change."""
    _field(org, "lead", "tier", "choice", choices=TIER)
    _field(org, "deal", "tier", "choice", choices=TIER)
    _field(org, "deal", "budget", "money", required=True)
    _field(org, "customer", "plant")
    _field(org, "contact", "hobby")
    _field(org, "deal", "secret", visible_to=["sm"])
    _field(org, "customer", "grade", editable_by=["sm"], default="B")
    mapping.mapping_create(
        actor=org.admin, data={"source_key": "tier", "target_type": "deal", "target_key": "tier"}
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(org, lead, data):
    body = {"customer_name": "Xinghe", "create_deal": "on", "deal_name": "Pilot", **data}
    return _client(org.owner).post(f"/leads/{lead.pk}/convert/", body, headers=EN)


def test_the_dialog_asks_each_part_as_the_user_may_see_it(org, fields):
    lead = LeadFactory(owner=org.owner, custom={"tier": "gold"})
    html = _client(org.owner).get(f"/leads/{lead.pk}/convert/", headers=EN).content.decode()
    for name in ("customer-cf_plant", "contact-cf_hobby", "deal-cf_tier", "deal-cf_budget"):
        assert f'name="{name}"' in html
    assert '<option value="gold" selected>Gold</option>' in html  # carried by the mapping
    assert "deal-cf_secret" not in html  # not visible to a sales consultant
    grade = re.search(r'<input[^>]*name="customer-cf_grade"[^>]*>', html).group(0)
    assert 'value="B"' in grade and "disabled" in grade  # seen, not changed by a rep


def test_typed_values_go_into_the_new_records(org, fields):
    lead = LeadFactory(owner=org.owner, custom={"tier": "gold"})
    response = _post(
        org,
        lead,
        {
            "customer-cf_plant": "苏州",
            "contact-cf_hobby": "golf",
            "deal-cf_tier": "silver",
            "deal-cf_budget": "120000.50",
        },
    )
    assert response.status_code == 204, response.content.decode()
    deal = Deal.objects.get()
    assert deal.custom == {"tier": "silver", "budget": 120000.5}
    assert Customer.objects.get().custom == {"plant": "苏州", "grade": "B"}
    assert Contact.objects.get().custom == {"hobby": "golf"}


def test_a_required_deal_field_is_asked_only_when_a_deal_is_made(org, fields):
    lead = LeadFactory(owner=org.owner)
    response = _post(org, lead, {"customer-cf_plant": "苏州"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html.split('data-field="cf_budget"')[1][:2000]
    assert not Customer.objects.exists() and not Deal.objects.exists()
    assert Lead.objects.get(pk=lead.pk).status != "converted"

    without_deal = _client(org.owner).post(
        f"/leads/{lead.pk}/convert/", {"customer_name": "Xinghe"}, headers=EN
    )
    assert without_deal.status_code == 204
    assert not Deal.objects.exists() and Customer.objects.get().name == "Xinghe"


def test_a_value_the_service_refuses_is_shown_at_its_field_and_nothing_is_written(org, fields):
    _field(org, "contact", "mobile", "phone")
    lead = LeadFactory(owner=org.owner)
    response = _post(org, lead, {"contact-cf_mobile": "12", "deal-cf_budget": "100"})
    assert response.status_code == 200
    after = response.content.decode().split('data-field="cf_mobile"')[1][:1500]
    assert "invalid-feedback" in after
    assert not Customer.objects.exists() and not Contact.objects.exists()
    assert not Deal.objects.exists()


def test_an_existing_customer_is_not_asked_its_fields(org, fields):
    customer = CustomerFactory(owner=org.owner, name="Old Co")
    lead = LeadFactory(owner=org.owner)
    url = f"/leads/{lead.pk}/convert/"
    redrawn = _client(org.owner).get(
        url, {"customer_id": customer.pk, "create_deal": "on"}, headers=EN
    )
    html = redrawn.content.decode()
    assert "customer-cf_plant" not in html and "deal-cf_budget" in html
    no_deal = _client(org.owner).get(url, {"customer_id": customer.pk}, headers=EN)
    assert "deal-cf_budget" not in no_deal.content.decode()
    response = _client(org.owner).post(
        url, {"customer_id": customer.pk, "contact-cf_hobby": "chess"}, headers=EN
    )
    assert response.status_code == 204
    assert Customer.objects.get().custom == {}
    assert Contact.objects.get().custom == {"hobby": "chess"}


def test_the_deal_part_follows_the_chosen_pipelines_layout(org, fields):
    projects = deal_services.pipeline_create(
        actor=org.admin, data={"name": "Projects", "name_zh": "项目"}
    )
    layout_services.layout_save(
        actor=org.admin,
        record_type="deal",
        pipeline_id=projects.pk,
        sections=[],
        hidden=["custom.budget"],
    )
    lead = LeadFactory(owner=org.owner)
    url = f"/leads/{lead.pk}/convert/"
    html = _client(org.owner).get(url, headers=EN).content.decode()
    assert 'data-testid="deal-pipeline"' in html and "deal-cf_budget" in html
    redrawn = _client(org.owner).get(
        url,
        {"create_deal": "on", "deal_pipeline_id": projects.pk, "deal-cf_tier": "silver"},
        headers=EN,
    )
    html = redrawn.content.decode()
    assert "deal-cf_budget" not in html  # the Projects layout hides it
    assert '<option value="silver" selected>Silver</option>' in html  # typed, kept
    # Posted for that pipeline, the hidden required field is not asked.
    response = _post(org, lead, {"deal_pipeline_id": projects.pk, "deal-cf_tier": "silver"})
    assert response.status_code == 204, response.content.decode()
    deal = Deal.objects.get()
    assert deal.pipeline_id == projects.pk and deal.custom == {"tier": "silver"}


def test_the_api_says_which_part_a_refusal_is_about(org, fields, api):
    lead = LeadFactory(owner=org.owner)
    response = api(org.owner).post(f"/leads/{lead.pk}/convert", {"deal": {"custom": {}}})
    assert response.status_code == 422
    assert response.json()["part"] == "deal"
    assert "custom.budget" in response.json()["errors"]
    assert not Customer.objects.exists()
