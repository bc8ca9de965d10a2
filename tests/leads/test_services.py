"""Lead services: create, touch after a follow-up, convert (all or nothing)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.core.errors import Conflict, NotFound, ValidationFailed
from gendan.customers.models import Contact, Customer
from gendan.deals import conversion
from gendan.deals.models import Deal
from gendan.leads import services
from tests.factories import LeadFactory, stage


def test_create_defaults_the_owner_and_cleans_tags(org):
    lead = services.lead_create(
        actor=org.owner,
        data={"name": "Li", "phone": "13800138000", "tags": [" vip ", "vip", "", "hot"]},
    )
    assert lead.owner_id == org.owner.pk
    assert lead.tags == ["vip", "hot"]
    assert lead.status == "new"


def test_create_needs_a_way_to_reach_the_lead(org):
    with pytest.raises(ValidationFailed) as exc:
        services.lead_create(actor=org.owner, data={"name": "Li"})
    assert "phone" in exc.value.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "13800138000"), ("email", "li@example.com"), ("wechat", "x"), ("company", "x")],
)
def test_any_contact_point_is_enough(org, field, value):
    assert services.lead_create(actor=org.owner, data={"name": "Li", field: value}).pk


def test_update_cannot_remove_the_last_contact_point(org):
    lead = LeadFactory(owner=org.owner, company="", email="", phone="1")
    with pytest.raises(ValidationFailed):
        services.lead_update(actor=org.owner, lead_id=lead.pk, data={"phone": ""})
    lead.refresh_from_db()
    assert lead.phone == "1"


def test_update_outside_scope_is_not_found(org):
    lead = LeadFactory(owner=org.outsider)
    with pytest.raises(NotFound):
        services.lead_update(actor=org.owner, lead_id=lead.pk, data={"name": "x"})


def test_touch_moves_new_to_contacted_only(org):
    now = timezone.now()
    lead = LeadFactory(owner=org.owner)
    services.lead_touch(lead, occurred_at=now, next_follow_up_at=None, actor=org.owner)
    lead.refresh_from_db()
    assert (lead.status, lead.first_contacted_at, lead.last_activity_at) == (
        "contacted",
        now,
        now,
    )
    assert lead.next_follow_up_at is None
    earlier = now - timedelta(days=1)
    services.lead_touch(lead, occurred_at=earlier, next_follow_up_at=now + timedelta(days=1))
    lead.refresh_from_db()
    assert lead.first_contacted_at == earlier
    assert lead.last_activity_at == now
    assert lead.next_follow_up_at == now + timedelta(days=1)
    assert TimelineEvent.objects.filter(lead=lead, kind="status_changed").count() == 1


def test_convert_links_lead_customer_contact_and_deal(org):
    lead = LeadFactory(owner=org.owner, company="Acme", name="Han")
    links = conversion.lead_convert(actor=org.owner, lead_id=lead.pk, deal={"amount": 100})
    lead.refresh_from_db()
    deal = Deal.objects.get(pk=links["deal_id"])
    assert links == {
        "lead_id": lead.pk,
        "customer_id": lead.customer_id,
        "contact_id": lead.contact_id,
        "deal_id": lead.deal_id,
    }
    assert deal.lead_id == lead.pk
    assert deal.contact_id == lead.contact_id
    kinds = set(TimelineEvent.objects.filter(lead=lead).values_list("kind", flat=True))
    assert {"converted", "status_changed"} <= kinds


def test_convert_without_contact(org):
    lead = LeadFactory(owner=org.owner)
    links = conversion.lead_convert(actor=org.owner, lead_id=lead.pk, create_contact=False)
    assert links["contact_id"] is None
    assert not Contact.objects.exists()


def test_convert_refuses_customer_id_and_customer_together(org):
    lead = LeadFactory(owner=org.owner)
    customer = Customer.objects.create(name="x", owner=org.owner)
    with pytest.raises(ValidationFailed):
        conversion.lead_convert(
            actor=org.owner, lead_id=lead.pk, customer_id=customer.pk, customer={"name": "y"}
        )


def test_convert_is_all_or_nothing(org):
    lead = LeadFactory(owner=org.owner)
    with pytest.raises(ValidationFailed):
        conversion.lead_convert(
            actor=org.owner,
            lead_id=lead.pk,
            deal={"stage_id": stage("Negotiation & signing").pk},
        )
    # the savepoint of the service rolled back the customer and contact it had written
    assert not Customer.objects.exists()
    assert not Contact.objects.exists()


def test_convert_twice_is_a_conflict(org):
    lead = LeadFactory(owner=org.owner)
    conversion.lead_convert(actor=org.owner, lead_id=lead.pk)
    with pytest.raises(Conflict):
        conversion.lead_convert(actor=org.owner, lead_id=lead.pk)


def test_convert_keeps_the_leads_owner_when_a_manager_converts(org):
    lead = LeadFactory(owner=org.owner)
    links = conversion.lead_convert(actor=org.manager, lead_id=lead.pk, deal={})
    assert Customer.objects.get(pk=links["customer_id"]).owner_id == org.owner.pk
    assert Deal.objects.get(pk=links["deal_id"]).owner_id == org.owner.pk
