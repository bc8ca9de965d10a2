"""Strict input: a body key the API does not know is refused and named, contact fields are
checked on every write path, and the framework's own messages speak the caller's language."""

import pytest

from gendan.core.errors import ValidationFailed
from gendan.customers import services as customer_services
from gendan.leads import services as lead_services
from gendan.leads.models import Lead
from tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def test_misspelled_and_unknown_fields_are_named_and_nothing_is_saved(org, api):
    body = {"name": "x1", "emial": "a@b.c", "email": "not-an-email", "budget": "5w"}
    response = api(org.owner).post("/leads", body, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["emial"] == "Unknown field."
    assert errors["budget"] == "Unknown field."
    assert errors["email"] == "Enter a valid e-mail address."
    assert not Lead.objects.exists()


def test_nested_unknown_fields_are_named_on_their_path(org, api):
    deal = DealFactory(owner=org.owner)
    line = {"description": "Setup", "quantity": "1", "unit_price": "5", "discount": "1"}
    response = api(org.owner).post("/quotes", {"deal_id": deal.pk, "lines": [line]})
    assert response.status_code == 422
    assert "lines.0.discount" in response.json()["errors"]


def test_framework_messages_are_in_chinese(org, api):
    response = api(org.owner).post("/deals", {"name": "big", "amount": "1e400"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["customer_id"] == "此字段为必填项。"
    assert all(not message.isascii() for message in errors.values()), errors


@pytest.mark.parametrize(
    ("field", "value"), [("phone", "call me"), ("phone", "12"), ("email", "a@")]
)
def test_lead_contact_fields_are_checked_by_the_services_too(org, field, value):
    # the web pages, imports and automation write through the services, not the API schemas
    with pytest.raises(ValidationFailed) as exc:
        lead_services.lead_create(
            actor=org.owner, data={"name": "Li", "company": "ACME", field: value}
        )
    assert field in exc.value.errors
    assert not Lead.objects.exists()


def test_a_customer_website_must_be_a_web_address(org):
    with pytest.raises(ValidationFailed) as exc:
        customer_services.customer_create(
            actor=org.owner, data={"name": "ACME", "website": "not a site"}
        )
    assert "website" in exc.value.errors
    customer = customer_services.customer_create(
        actor=org.owner, data={"name": "ACME", "website": "www.acme.cn"}
    )
    assert customer.website == "www.acme.cn"


@pytest.mark.parametrize(
    "phone", ["13800138000", "+86 138-0013-8000", "(021) 6234 5678", "400-820-8820 转 3"]
)
def test_usual_phone_numbers_are_accepted(org, phone):
    lead = lead_services.lead_create(actor=org.owner, data={"name": "Li", "phone": phone})
    assert lead.phone == phone
