"""Leads: create, filters and search, follow-ups, conversion."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.capture import services as form_services
from gendan.capture import submission
from gendan.customers.models import Contact, Customer
from gendan.deals.models import Deal
from gendan.leads.models import Lead
from tests.factories import CustomerFactory, LeadFactory, default_pipeline, stage


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_lead_without_owner_is_owned_by_its_creator(org, api):
    response = api(org.manager).post("/leads", {"name": "Han Meimei", "phone": "13812345678"})
    assert response.status_code == 201
    assert response.json()["owner_id"] == org.manager.pk
    assert response.json()["status"] == "new"
    assert response.json()["owner_name"] == org.manager.name


def test_create_writes_a_timeline_event(org, api):
    lead = api(org.owner).post("/leads", {"name": "Li", "company": "Acme"}).json()
    assert TimelineEvent.objects.filter(lead_id=lead["id"], kind="created").count() == 1


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("meimei", "han"),
        ("ACME", "han"),
        ("13900001111", "li"),
        ("li.lei@example", "li"),
        ("Globex", "li"),
    ],
)
def test_search_by_name_company_phone_or_email(org, api, q, expected):
    leads = {
        "han": LeadFactory(owner=org.owner, name="Han Meimei", company="Acme Ltd"),
        "li": LeadFactory(
            owner=org.owner,
            name="Li Lei",
            company="Globex",
            phone="13900001111",
            email="li.lei@example.com",
        ),
    }
    assert _ids(api(org.owner).get("/leads", {"q": q})) == [leads[expected].pk]


def test_filters_by_status_source_and_owner(org, api):
    mine_new = LeadFactory(owner=org.owner, status="new", source="referral")
    mine_contacted = LeadFactory(owner=org.owner, status="contacted", source="website")
    peers = LeadFactory(owner=org.peer, status="new", source="referral")
    client = api(org.manager)
    assert set(_ids(client.get("/leads", {"status": "new"}))) == {mine_new.pk, peers.pk}
    assert _ids(client.get("/leads", {"source": "website"})) == [mine_contacted.pk]
    assert set(_ids(client.get("/leads", {"owner_id": org.owner.pk}))) == {
        mine_new.pk,
        mine_contacted.pk,
    }
    assert _ids(client.get("/leads", {"status": "new", "owner_id": org.peer.pk})) == [peers.pk]
    assert client.get("/leads", {"status": "bogus"}).status_code == 422


def test_filters_by_created_range(org, api):
    now = timezone.now()
    old = LeadFactory(owner=org.owner)
    recent = LeadFactory(owner=org.owner)
    Lead.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=10))
    Lead.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=1))
    client = api(org.owner)
    since = (now - timedelta(days=3)).isoformat()
    until = (now - timedelta(days=3)).isoformat()
    assert _ids(client.get("/leads", {"created_from": since})) == [recent.pk]
    assert _ids(client.get("/leads", {"created_to": until})) == [old.pk]
    window = {
        "created_from": (now - timedelta(days=11)).isoformat(),
        "created_to": (now - timedelta(days=9)).isoformat(),
    }
    assert _ids(client.get("/leads", window)) == [old.pk]


@pytest.mark.parametrize("tag", ["vip", "重点客户"])
def test_filters_by_tag(org, api, tag):
    client = api(org.owner)
    tagged = client.post("/leads", {"name": "A", "company": "A", "tags": [tag, "hot"]}).json()
    client.post("/leads", {"name": "B", "company": "B", "tags": [tag + "2"]})
    client.post("/leads", {"name": "C", "company": "C"})
    assert _ids(client.get("/leads", {"tag": tag})) == [tagged["id"]]
    assert tagged["tags"] == [tag, "hot"]


def test_list_is_newest_first_and_can_be_ordered(org, api):
    first = LeadFactory(owner=org.owner, name="B")
    second = LeadFactory(owner=org.owner, name="A")
    client = api(org.owner)
    assert _ids(client.get("/leads")) == [second.pk, first.pk]
    assert _ids(client.get("/leads", {"ordering": "name"})) == [second.pk, first.pk]
    assert _ids(client.get("/leads", {"ordering": "-name"})) == [first.pk, second.pk]


def test_disqualifying_needs_a_reason(org, api):
    lead = LeadFactory(owner=org.owner)
    client = api(org.owner)
    refused = client.patch(f"/leads/{lead.pk}", {"status": "disqualified"})
    assert refused.status_code == 422
    assert "disqualify_reason" in refused.json()["errors"]
    ok = client.patch(
        f"/leads/{lead.pk}", {"status": "disqualified", "disqualify_reason": "No budget"}
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "disqualified"


def test_status_converted_only_through_convert(org, api):
    lead = LeadFactory(owner=org.owner)
    response = api(org.owner).patch(f"/leads/{lead.pk}", {"status": "converted"})
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def test_delete_lead(org, api):
    lead = LeadFactory(owner=org.owner)
    assert api(org.owner).delete(f"/leads/{lead.pk}").status_code == 204
    assert not Lead.objects.filter(pk=lead.pk).exists()


# Conversion ---------------------------------------------------------------------------------


def _lead(org, **kwargs):
    values = {
        "owner": org.owner,
        "name": "Han Meimei",
        "company": "Acme Ltd",
        "title": "CTO",
        "phone": "13800000001",
        "email": "han@acme.example",
        "wechat": "hanmm",
    }
    return LeadFactory(**{**values, **kwargs})


def test_convert_with_defaults_from_the_lead(org, api):
    # given a lead
    lead = _lead(org)
    # when it is converted with a deal
    response = api(org.owner).post(
        f"/leads/{lead.pk}/convert", {"deal": {"amount": "50000", "expected_close_date": None}}
    )
    # then a customer named after the company, a contact from the lead's fields, and a deal
    assert response.status_code == 201
    links = response.json()
    assert set(links) >= {"customer_id", "contact_id", "deal_id"}
    customer = Customer.objects.get(pk=links["customer_id"])
    contact = Contact.objects.get(pk=links["contact_id"])
    deal = Deal.objects.get(pk=links["deal_id"])
    assert customer.name == "Acme Ltd"
    assert customer.owner_id == org.owner.pk
    assert (contact.name, contact.title, contact.phone, contact.email, contact.wechat) == (
        "Han Meimei",
        "CTO",
        "13800000001",
        "han@acme.example",
        "hanmm",
    )
    assert contact.customer_id == customer.pk
    assert contact.is_primary
    assert deal.customer_id == customer.pk
    assert deal.contact_id == contact.pk
    assert deal.pipeline_id == default_pipeline().pk
    assert deal.stage.name == "Discovery"
    assert deal.amount == 50000
    # and the lead is converted and linked both ways
    lead.refresh_from_db()
    assert lead.status == "converted"
    assert lead.converted_at is not None
    assert (lead.customer_id, lead.contact_id, lead.deal_id) == (
        customer.pk,
        contact.pk,
        deal.pk,
    )
    assert deal.lead_id == lead.pk
    body = api(org.owner).get(f"/leads/{lead.pk}").json()
    assert (body["customer_id"], body["deal_id"]) == (customer.pk, deal.pk)
    assert api(org.owner).get("/deals", {"lead_id": lead.pk}).json()["count"] == 1


def test_convert_without_company_names_the_customer_after_the_person(org, api):
    lead = _lead(org, company="")
    links = api(org.owner).post(f"/leads/{lead.pk}/convert", {}).json()
    assert Customer.objects.get(pk=links["customer_id"]).name == "Han Meimei"


def test_convert_without_a_deal(org, api):
    lead = _lead(org)
    before = Deal.objects.count()
    response = api(org.owner).post(f"/leads/{lead.pk}/convert", {})
    assert response.status_code == 201
    assert response.json()["deal_id"] is None
    assert Deal.objects.count() == before
    lead.refresh_from_db()
    assert lead.status == "converted"
    assert lead.deal_id is None


def test_convert_into_an_existing_customer(org, api):
    customer = CustomerFactory(owner=org.owner, name="Existing Co")
    lead = _lead(org)
    before = Customer.objects.count()
    response = api(org.owner).post(
        f"/leads/{lead.pk}/convert",
        {
            "customer_id": customer.pk,
            "deal": {"name": "Renewal", "stage_id": stage("Discovery").pk},
        },
    )
    assert response.status_code == 201
    links = response.json()
    assert links["customer_id"] == customer.pk
    assert Customer.objects.count() == before
    assert Contact.objects.get(pk=links["contact_id"]).customer_id == customer.pk
    assert Deal.objects.get(pk=links["deal_id"]).name == "Renewal"


def test_convert_with_overrides(org, api):
    lead = _lead(org)
    links = (
        api(org.owner)
        .post(
            f"/leads/{lead.pk}/convert",
            {
                "customer": {"name": "Acme Group", "industry": "Manufacturing"},
                "contact": {"name": "Meimei Han", "title": "CEO"},
                "create_contact": True,
            },
        )
        .json()
    )
    customer = Customer.objects.get(pk=links["customer_id"])
    contact = Contact.objects.get(pk=links["contact_id"])
    assert (customer.name, customer.industry) == ("Acme Group", "Manufacturing")
    assert (contact.name, contact.title, contact.phone) == ("Meimei Han", "CEO", "13800000001")


def test_convert_into_a_customer_out_of_scope_is_refused(org, api):
    hidden = CustomerFactory(owner=org.outsider)
    lead = _lead(org)
    response = api(org.owner).post(f"/leads/{lead.pk}/convert", {"customer_id": hidden.pk})
    assert response.status_code == 422
    assert "customer_id" in response.json()["errors"]
    lead.refresh_from_db()
    assert lead.status == "new"


def test_converting_twice_answers_409(org, api):
    lead = _lead(org)
    client = api(org.owner)
    first = client.post(f"/leads/{lead.pk}/convert", {})
    customers = Customer.objects.count()
    second = client.post(f"/leads/{lead.pk}/convert", {})
    assert first.status_code == 201
    assert second.status_code == 409
    assert "detail" in second.json()
    assert Customer.objects.count() == customers


def test_converting_a_disqualified_lead_answers_409(org, api):
    lead = _lead(org, status="disqualified", disqualify_reason="Spam")
    response = api(org.owner).post(f"/leads/{lead.pk}/convert", {})
    assert response.status_code == 409
    assert not Customer.objects.exists()
    lead.refresh_from_db()
    assert lead.status == "disqualified"


def test_failed_conversion_writes_nothing(org, api):
    # given a deal part that the default pipeline refuses (Proposal requires an amount)
    lead = _lead(org)
    before = (Customer.objects.count(), Contact.objects.count(), Deal.objects.count())
    response = api(org.owner).post(
        f"/leads/{lead.pk}/convert", {"deal": {"stage_id": stage("Proposal & quote").pk}}
    )
    # then 422 and neither customer, contact nor deal exists
    assert response.status_code == 422
    assert "amount" in response.json()["errors"]
    assert (Customer.objects.count(), Contact.objects.count(), Deal.objects.count()) == before
    lead.refresh_from_db()
    assert lead.status == "new"


def test_converted_lead_cannot_be_deleted_or_reopened(org, api):
    lead = _lead(org)
    client = api(org.owner)
    client.post(f"/leads/{lead.pk}/convert", {})
    assert client.delete(f"/leads/{lead.pk}").status_code == 409
    assert client.patch(f"/leads/{lead.pk}", {"status": "new"}).status_code == 409


def _form(org, name: str, owner):
    fields = [{"field": "name"}, {"field": "phone", "required": True}]
    data = {"name": name, "owner_id": owner.pk, "fields": fields}
    return form_services.form_create(actor=org.admin, data=data)


def _visit(form, phone: str):
    values = {"name": f"Visitor {phone}", "phone": phone}
    return submission.form_submit(token=form.token, values=values).lead


def test_a_lead_says_which_form_made_it_and_the_list_filters_by_form(
    org, api, django_assert_max_num_queries
):
    expo, site = _form(org, "Expo", org.owner), _form(org, "Website", org.outsider)
    from_expo = [_visit(expo, f"1380000000{n}") for n in range(3)]
    outside = _visit(site, "13900000000")  # team B's: out of the manager's scope
    typed = LeadFactory(owner=org.owner)
    client = api(org.manager)
    detail = client.get(f"/leads/{from_expo[0].pk}").json()
    assert (detail["form_id"], detail["form_name"]) == (expo.pk, "Expo")
    plain = client.get(f"/leads/{typed.pk}").json()
    assert (plain["form_id"], plain["form_name"]) == (None, None)
    with django_assert_max_num_queries(6):
        listed = client.get("/leads", {"page_size": 100}).json()["items"]
    assert {item["id"]: item["form_name"] for item in listed} == {
        **{lead.pk: "Expo" for lead in from_expo},
        typed.pk: None,
    }
    assert set(_ids(client.get("/leads", {"form_id": expo.pk}))) == {x.pk for x in from_expo}
    assert _ids(client.get("/leads", {"form_id": site.pk})) == []  # scoped
    assert _ids(api(org.admin).get("/leads", {"form_id": site.pk})) == [outside.pk]
    patched = client.patch(f"/leads/{typed.pk}", {"notes": "x"}).json()
    assert patched["form_id"] is None
