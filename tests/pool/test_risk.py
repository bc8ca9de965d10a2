"""Risk signals and grading for deals and customers, recomputed after follow-ups and daily."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from gendan.activities.models import TimelineEvent
from gendan.automation import risk
from gendan.core.risk import reasons_out
from gendan.customers.models import Customer
from gendan.deals.models import Deal
from tests.factories import ActivityFactory, CustomerFactory, DealFactory

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def follow_up(api_client, deal, **fields):
    body = {"subject_type": "deal", "subject_id": deal.pk, "summary": "Called", **fields}
    response = api_client.post("/activities", body)
    assert response.status_code == 201, response.content
    return response


def log(deal, *, days_ago=0, **fields):
    """A follow-up on the deal written directly (no recompute)."""
    return ActivityFactory(
        subject_type="deal",
        lead=None,
        deal=deal,
        owner=deal.owner,
        occurred_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def test_two_no_replies_in_a_row_make_a_deal_high_risk(
    org, api, django_capture_on_commit_callbacks
):
    # given an open deal of the owner
    deal = DealFactory(owner=org.owner)
    client = api(org.owner)
    # when two follow-ups in a row get no reply
    with django_capture_on_commit_callbacks(execute=True):
        follow_up(client, deal, outcome="no_reply")
    deal.refresh_from_db()
    assert deal.risk_level == "low"
    with django_capture_on_commit_callbacks(execute=True):
        follow_up(client, deal, outcome="no_reply")
    # then the deal is high risk with the reason stored, shown, and on the timeline
    deal.refresh_from_db()
    assert deal.risk_level == "high"
    assert [r["code"] for r in deal.risk_reasons] == ["no_reply_twice"]
    body = client.get(f"/deals/{deal.pk}", headers=EN).json()
    assert body["risk_level"] == "high"
    assert body["risk_reasons"] == [
        {"code": "no_reply_twice", "text": "Two follow-ups in a row without a reply"}
    ]
    event = TimelineEvent.objects.get(deal=deal, kind="updated")
    assert event.data["fields"]["risk_level"] == {"from": "low", "to": "high"}
    assert event.data["risk_reasons"] == ["no_reply_twice"]
    # and so is its customer, naming the deal
    customer = Customer.objects.get(pk=deal.customer_id)
    assert customer.risk_level == "high"
    assert customer.risk_reasons[0]["code"] == "deal_at_risk"
    assert customer.risk_reasons[0]["deal_id"] == deal.pk
    # and a reply brings it back down
    with django_capture_on_commit_callbacks(execute=True):
        follow_up(client, deal, outcome="positive")
    deal.refresh_from_db()
    assert (deal.risk_level, deal.risk_reasons) == ("low", [])


def test_a_no_reply_between_replies_is_no_signal(org):
    deal = DealFactory(owner=org.owner)
    log(deal, days_ago=3, outcome="no_reply")
    log(deal, days_ago=2, outcome="positive")
    log(deal, days_ago=1, outcome="no_reply")
    assert risk.deal_risk_recompute(deal_id=deal.pk) == ("low", [])


def test_three_objections_are_one_signal_medium(org):
    deal = DealFactory(owner=org.owner)
    for _ in range(2):
        log(deal, objection=True)
    assert risk.deal_risk_recompute(deal_id=deal.pk)[0] == "low"
    log(deal, objection=True)
    level, reasons = risk.deal_risk_recompute(deal_id=deal.pk)
    assert level == "medium"
    assert reasons == [{"code": "objections", "count": 3, "text": "3 follow-ups with an objection"}]


def test_requirements_changed_twice_is_medium_and_with_objections_high(org):
    deal = DealFactory(owner=org.owner)
    log(deal, requirement_changed=True)
    log(deal, requirement_changed=True)
    level, reasons = risk.deal_risk_recompute(deal_id=deal.pk)
    assert level == "medium"
    assert reasons[0]["code"] == "requirement_changed" and reasons[0]["count"] == 2
    for _ in range(3):
        log(deal, objection=True)
    level, reasons = risk.deal_risk_recompute(deal_id=deal.pk)
    assert level == "high"
    assert {r["code"] for r in reasons} == {"requirement_changed", "objections"}


def test_a_deal_stalled_and_unattended_past_the_stages_max_days_is_high(org):
    # given a stage allowing 10 days and a deal in it for 12 days, last followed up 11 days ago
    deal = DealFactory(owner=org.owner)
    deal.stage.max_days = 10
    deal.stage.save()
    now = timezone.now()
    Deal.objects.filter(pk=deal.pk).update(
        stage_entered_at=now - timedelta(days=12), last_activity_at=now - timedelta(days=11)
    )
    # when risk is computed
    level, reasons = risk.deal_risk_recompute(deal_id=deal.pk, at=now)
    # then both signals are reasons, with their figures
    assert level == "high"
    assert reasons == [
        {
            "code": "stalled",
            "days": 12,
            "max_days": 10,
            "text": "12 days in the stage, past its limit of 10",
        },
        {
            "code": "no_follow_up",
            "days": 11,
            "max_days": 10,
            "text": "No follow-up for 11 days (stage limit 10)",
        },
    ]


def test_stalled_alone_is_medium_and_the_days_are_counted_at_the_given_moment(org):
    deal = DealFactory(owner=org.owner)
    deal.stage.max_days = 10
    deal.stage.save()
    now = timezone.now()
    Deal.objects.filter(pk=deal.pk).update(
        stage_entered_at=now - timedelta(days=5), last_activity_at=now
    )
    assert risk.deal_risk_recompute(deal_id=deal.pk, at=now)[0] == "low"
    level, reasons = risk.deal_risk_recompute(deal_id=deal.pk, at=now + timedelta(days=6))
    assert level == "medium"
    assert [r["code"] for r in reasons] == ["stalled"]


def test_a_closed_deal_carries_no_risk(org):
    deal = DealFactory(owner=org.owner, risk_level="high", risk_reasons=[{"code": "x"}])
    log(deal, outcome="no_reply")
    log(deal, outcome="no_reply")
    Deal.objects.filter(pk=deal.pk).update(status="lost")
    assert risk.deal_risk_recompute(deal_id=deal.pk) == ("low", [])


def test_an_unchanged_risk_writes_nothing(org):
    deal = DealFactory(owner=org.owner)
    log(deal, outcome="no_reply")
    log(deal, outcome="no_reply")
    risk.deal_risk_recompute(deal_id=deal.pk)
    deal.refresh_from_db()
    version = deal.version
    risk.deal_risk_recompute(deal_id=deal.pk)
    deal.refresh_from_db()
    assert deal.version == version
    assert TimelineEvent.objects.filter(deal=deal, kind="updated").count() == 1


def test_a_quiet_customer_rises_one_step(org):
    # given a customer nobody has talked to for 61 days, with a medium-risk open deal
    customer = CustomerFactory(owner=org.owner, status="active")
    Customer.objects.filter(pk=customer.pk).update(
        last_activity_at=timezone.now() - timedelta(days=61)
    )
    DealFactory(owner=org.owner, customer=customer, risk_level="medium")
    # when its risk is computed
    level, reasons = risk.customer_risk_recompute(customer_id=customer.pk)
    # then it is high: the deal's medium, one step up for the silence
    assert level == "high"
    assert [r["code"] for r in reasons] == ["deal_at_risk", "no_activity"]
    assert reasons[1]["days"] == 61


def test_a_quiet_customer_without_deals_is_medium_and_a_churned_one_is_not(org):
    old = timezone.now() - timedelta(days=90)
    quiet = CustomerFactory(owner=org.owner, status="active")
    churned = CustomerFactory(owner=org.owner, status="churned")
    Customer.objects.filter(pk__in=[quiet.pk, churned.pk]).update(last_activity_at=old)
    assert risk.customer_risk_recompute(customer_id=quiet.pk)[0] == "medium"
    assert risk.customer_risk_recompute(customer_id=churned.pk) == ("low", [])


def test_the_daily_pass_recomputes_every_open_deal_and_customer(org):
    # given two deals with signals not yet stored, and a closed one still flagged
    flagged = []
    for _ in range(2):
        deal = DealFactory(owner=org.owner)
        log(deal, outcome="no_reply")
        log(deal, outcome="no_reply")
        flagged.append(deal)
    closed = DealFactory(owner=org.owner, status="won", risk_level="high")
    quiet = DealFactory(owner=org.owner)
    # when the daily pass runs
    changed = risk.risk_recompute_all()
    # then each record changed once, and a second pass changes nothing
    assert changed == {"deals": 3, "customers": 2}
    assert set(Deal.objects.filter(risk_level="high").values_list("pk", flat=True)) == {
        d.pk for d in flagged
    }
    closed.refresh_from_db()
    quiet.refresh_from_db()
    assert closed.risk_level == "low" and quiet.risk_level == "low"
    assert risk.risk_recompute_all() == {"deals": 0, "customers": 0}


def test_risk_is_filterable_on_deals_and_customers(org, api):
    risky = DealFactory(owner=org.owner)
    DealFactory(owner=org.owner)
    log(risky, outcome="no_reply")
    log(risky, outcome="no_reply")
    risk.deal_risk_recompute(deal_id=risky.pk)
    risk.customer_risk_recompute(customer_id=risky.customer_id)
    client = api(org.owner)
    deals = client.get("/deals", {"risk_level": "high"}).json()["items"]
    assert [d["id"] for d in deals] == [risky.pk]
    customers = client.get("/customers", {"risk_level": "high"}, headers=EN).json()["items"]
    assert [c["id"] for c in customers] == [risky.customer_id]
    assert customers[0]["risk_reasons"][0]["code"] == "deal_at_risk"
    assert customers[0]["risk_reasons"][0]["text"] == f"Deal {risky.name} is at High risk"
    assert client.get("/customers", {"risk_level": "bad"}).status_code == 422


def test_a_failing_recompute_never_fails_the_follow_up(org, api, monkeypatch, caplog):
    deal = DealFactory(owner=org.owner)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(risk, "deal_risk_recompute", broken)
    risk.after_follow_up("deal", deal.pk)
    assert "Risk recompute failed" in caplog.text


@pytest.mark.parametrize("language,text", [("en", "Two follow-ups in a row without a reply")])
def test_reason_texts_follow_the_readers_language(language, text):
    with translation.override(language):
        assert reasons_out([{"code": "no_reply_twice", "text": "old"}])[0]["text"] == text
