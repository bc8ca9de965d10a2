"""Follow-up records (跟进记录): logging one brings the subject's dates up to date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.activities.models import Activity, TimelineEvent
from tests.factories import ActivityFactory, ContactFactory, DealFactory, LeadFactory


def _iso(value):
    return value.isoformat()


def _same_instant(text: str, value) -> bool:
    from django.utils.dateparse import parse_datetime

    return abs((parse_datetime(text) - value).total_seconds()) < 0.001


def test_follow_up_on_a_new_lead_marks_it_contacted(org, api):
    # given a new lead never contacted
    lead = LeadFactory(owner=org.owner)
    occurred = timezone.now() - timedelta(hours=1)
    next_time = timezone.now() + timedelta(days=2)
    # when a follow-up is logged
    response = api(org.owner).post(
        "/activities",
        {
            "subject_type": "lead",
            "subject_id": lead.pk,
            "channel": "call",
            "outcome": "positive",
            "summary": "Interested, wants a demo",
            "occurred_at": _iso(occurred),
            "next_follow_up_at": _iso(next_time),
        },
    )
    # then the record is created and the lead's dates and status move on
    assert response.status_code == 201
    body = response.json()
    assert (body["subject_type"], body["subject_id"], body["owner_id"]) == (
        "lead",
        lead.pk,
        org.owner.pk,
    )
    lead.refresh_from_db()
    assert lead.status == "contacted"
    assert lead.first_contacted_at == occurred
    assert lead.last_activity_at == occurred
    assert lead.next_follow_up_at == next_time
    assert lead.version == 2
    detail = api(org.owner).get(f"/leads/{lead.pk}").json()
    assert _same_instant(detail["first_contacted_at"], occurred)
    assert _same_instant(detail["next_follow_up_at"], next_time)


def test_later_follow_up_keeps_first_contact_and_moves_last_activity(org, api):
    lead = LeadFactory(owner=org.owner)
    client = api(org.owner)
    first = timezone.now() - timedelta(days=3)
    second = timezone.now() - timedelta(days=1)
    for when in (first, second):
        client.post(
            "/activities",
            {
                "subject_type": "lead",
                "subject_id": lead.pk,
                "summary": "x",
                "occurred_at": _iso(when),
            },
        )
    lead.refresh_from_db()
    assert lead.first_contacted_at == first
    assert lead.last_activity_at == second


def test_follow_up_does_not_demote_a_qualified_lead(org, api):
    lead = LeadFactory(owner=org.owner, status="qualified")
    api(org.owner).post(
        "/activities", {"subject_type": "lead", "subject_id": lead.pk, "summary": "x"}
    )
    lead.refresh_from_db()
    assert lead.status == "qualified"


def test_follow_up_on_a_deal_updates_the_deal_and_its_customer(org, api):
    # given a deal
    deal = DealFactory(owner=org.owner)
    contact = ContactFactory(customer=deal.customer)
    next_time = timezone.now() + timedelta(days=1)
    # when a follow-up is logged on it
    response = api(org.owner).post(
        "/activities",
        {
            "subject_type": "deal",
            "subject_id": deal.pk,
            "contact_id": contact.pk,
            "summary": "Sent the quote",
            "next_follow_up_at": _iso(next_time),
        },
    )
    # then the deal's and the customer's dates follow
    assert response.status_code == 201
    deal.refresh_from_db()
    deal.customer.refresh_from_db()
    assert deal.last_activity_at is not None
    assert deal.next_follow_up_at == next_time
    assert deal.customer.last_activity_at == deal.last_activity_at
    assert deal.customer.next_follow_up_at == next_time
    assert TimelineEvent.objects.filter(deal=deal, kind="follow_up").count() == 1


def test_follow_up_on_a_customer_updates_it(org, api):
    deal = DealFactory(owner=org.owner)
    response = api(org.owner).post(
        "/activities",
        {"subject_type": "customer", "subject_id": deal.customer_id, "summary": "Visit"},
    )
    assert response.status_code == 201
    deal.customer.refresh_from_db()
    assert deal.customer.last_activity_at is not None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"occurred_at": (timezone.now() + timedelta(days=2)).isoformat()}, "occurred_at"),
        (
            {
                "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                "next_follow_up_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            },
            "next_follow_up_at",
        ),
        ({"summary": ""}, "summary"),
        ({"channel": "pigeon"}, "channel"),
        ({"subject_id": 999999}, "subject_id"),
    ],
)
def test_bad_follow_up_writes_nothing(org, api, extra, field):
    lead = LeadFactory(owner=org.owner)
    body = {"subject_type": "lead", "subject_id": lead.pk, "summary": "x", **extra}
    response = api(org.owner).post("/activities", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Activity.objects.exists()
    lead.refresh_from_db()
    assert lead.status == "new"
    assert lead.last_activity_at is None


def test_contact_must_belong_to_the_subjects_customer(org, api):
    deal = DealFactory(owner=org.owner)
    stranger = ContactFactory(customer__owner=org.owner)
    response = api(org.owner).post(
        "/activities",
        {"subject_type": "deal", "subject_id": deal.pk, "contact_id": stranger.pk, "summary": "x"},
    )
    assert response.status_code == 422
    assert "contact_id" in response.json()["errors"]


def test_filters_by_subject(org, api):
    lead = LeadFactory(owner=org.owner)
    other = LeadFactory(owner=org.owner)
    mine = ActivityFactory(lead=lead)
    ActivityFactory(lead=other)
    response = api(org.owner).get("/activities", {"subject_type": "lead", "subject_id": lead.pk})
    assert [item["id"] for item in response.json()["items"]] == [mine.pk]


def test_only_the_author_or_a_manager_edits_a_follow_up(org, api):
    # given a follow-up by the owner on a deal a peer collaborates on
    deal = DealFactory(owner=org.owner)
    api(org.owner).post(f"/deals/{deal.pk}/collaborators", {"user_id": org.peer.pk})
    activity = (
        api(org.owner)
        .post("/activities", {"subject_type": "deal", "subject_id": deal.pk, "summary": "x"})
        .json()
    )
    # then the peer sees it but may not change it; the manager may
    path = f"/activities/{activity['id']}"
    assert api(org.peer).get(path).status_code == 200
    assert api(org.peer).patch(path, {"summary": "edited"}).status_code == 403
    assert api(org.manager).patch(path, {"summary": "edited"}).status_code == 200
    assert api(org.peer).delete(path).status_code == 403
    assert api(org.owner).delete(path).status_code == 204
