"""Public pool (公海): release, visibility, claim, limit, cooling period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.activities.models import TimelineEvent
from gendan.leads import pool
from gendan.leads.models import LeadPoolEvent
from gendan.org.system import system_actor
from tests.factories import LeadFactory, UserFactory
from tests.pool.conftest import pooled_lead


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


# Release ------------------------------------------------------------------------------------


def test_owner_releases_a_lead_with_a_reason(org, api):
    # given a lead of the owner
    lead = LeadFactory(owner=org.owner)
    # when the owner releases it
    response = api(org.owner).post(f"/leads/{lead.pk}/release", {"reason": "Wrong contact"})
    # then it is in the pool, with its reason, a history row and a timeline event
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["in_pool"] is True
    assert body["pool_reason"] == "Wrong contact"
    assert body["pool_entered_at"] is not None
    assert body["owner_id"] == org.owner.pk
    event = LeadPoolEvent.objects.get(lead=lead)
    assert (event.action, event.user_id) == ("released", org.owner.pk)
    assert event.reason == "Wrong contact"
    timeline = TimelineEvent.objects.filter(lead=lead, kind="updated").get()
    assert timeline.data["fields"]["in_pool"] == {"from": False, "to": True}
    assert timeline.actor_id == org.owner.pk


def test_release_without_a_reason_is_refused_and_writes_nothing(org, api):
    lead = LeadFactory(owner=org.owner)
    response = api(org.owner).post(f"/leads/{lead.pk}/release", {"reason": "  "})
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    lead.refresh_from_db()
    assert lead.in_pool is False
    assert not LeadPoolEvent.objects.exists()
    response = api(org.owner).post(f"/leads/{lead.pk}/release", {})
    assert response.status_code == 422


def test_a_manager_releases_a_team_members_lead_but_a_peer_cannot(org, api):
    lead = LeadFactory(owner=org.owner)
    assert api(org.peer).post(f"/leads/{lead.pk}/release", {"reason": "x"}).status_code == 404
    assert api(org.outsider).post(f"/leads/{lead.pk}/release", {"reason": "x"}).status_code == 404
    response = api(org.manager).post(f"/leads/{lead.pk}/release", {"reason": "Reassign"})
    assert response.status_code == 200
    assert LeadPoolEvent.objects.get(lead=lead).user_id == org.owner.pk


def test_a_pool_lead_or_a_converted_lead_cannot_be_released(org, api):
    pooled = pooled_lead(org.owner)
    converted = LeadFactory(owner=org.owner, status="converted")
    response = api(org.manager).post(f"/leads/{pooled.pk}/release", {"reason": "again"})
    assert response.status_code == 409
    response = api(org.owner).post(f"/leads/{converted.pk}/release", {"reason": "x"})
    assert response.status_code == 409


def test_the_system_moves_a_lead_to_the_pool(org):
    lead = LeadFactory(owner=org.owner)
    moved = pool.lead_move_to_pool(actor=system_actor(), lead_id=lead.pk, reason="Idle for 7 days")
    assert moved.in_pool and moved.pool_reason == "Idle for 7 days"
    assert moved.version == lead.version + 1
    timeline = TimelineEvent.objects.get(lead=lead, kind="updated")
    assert timeline.actor_id is None


# Visibility ---------------------------------------------------------------------------------


def test_the_pool_is_seen_by_the_reps_of_the_last_owners_team(org, api, sdr):
    # given a pool lead last owned in team A and a lead the owner still holds
    pooled = pooled_lead(org.owner)
    held = LeadFactory(owner=org.owner)
    se = UserFactory(role_code="se", team=org.team_a)
    # then the pool filter shows it to team A's sdr and ae, its manager and admins
    for user in (sdr, org.peer, org.owner, org.manager, org.admin, org.superuser):
        assert ids(api(user).get("/leads", {"in_pool": "true"})) == {pooled.pk}, user
    # and not to another team's reps, a sub-team's reps, or roles that do not work the pool
    for user in (org.outsider, org.sub_rep, se):
        assert ids(api(user).get("/leads", {"in_pool": "true"})) == set(), user
        assert api(user).get(f"/leads/{pooled.pk}").status_code == 404
    # and the held lead stays the owner's own
    assert ids(api(org.peer).get("/leads", {"in_pool": "false"})) == set()
    assert ids(api(org.owner).get("/leads", {"in_pool": "false"})) == {held.pk}


def test_a_pool_lead_is_no_longer_its_former_owners_own(org, api):
    # given a lead of an se (a role that does not work the pool) moved to the pool
    se = UserFactory(role_code="se", team=org.team_a)
    pooled = pooled_lead(se)
    # then its former owner does not see it any more
    assert api(se).get(f"/leads/{pooled.pk}").status_code == 404
    assert ids(api(se).get("/leads")) == set()


def test_the_pool_list_is_bounded_in_queries(org, api, django_assert_max_num_queries):
    client = api(org.peer)
    for _ in range(3):
        pooled_lead(org.owner)
    with django_assert_max_num_queries(12) as few:
        assert len(ids(client.get("/leads", {"in_pool": "true"}))) == 3
    for _ in range(17):
        pooled_lead(org.owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(ids(client.get("/leads", {"in_pool": "true"}))) == 20


# Claim --------------------------------------------------------------------------------------


def test_a_rep_claims_a_pool_lead(org, api, sdr):
    pooled = pooled_lead(org.owner)
    response = api(sdr).post(f"/leads/{pooled.pk}/claim")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["in_pool"] is False
    assert body["owner_id"] == sdr.pk
    assert body["pool_reason"] == "" and body["pool_entered_at"] is None
    assert body["version"] == pooled.version + 1
    assert LeadPoolEvent.objects.filter(lead=pooled, action="claimed", user=sdr).exists()
    event = TimelineEvent.objects.get(lead=pooled, kind="owner_changed")
    assert event.data == {"field": "owner_id", "from": org.owner.pk, "to": sdr.pk, "claimed": True}
    # and it is now the claimer's own, no longer in anybody's pool
    assert ids(api(org.peer).get("/leads", {"in_pool": "true"})) == set()
    assert ids(api(sdr).get("/leads")) == {pooled.pk}
    history = api(sdr).get(f"/leads/{pooled.pk}/pool-history").json()
    assert [row["action"] for row in history] == ["claimed", "released"]


def test_claiming_a_lead_outside_the_pool_or_out_of_sight(org, api, sdr):
    held = LeadFactory(owner=org.owner)
    pooled = pooled_lead(org.owner)
    assert api(org.owner).post(f"/leads/{held.pk}/claim").status_code == 409
    assert api(org.outsider).post(f"/leads/{pooled.pk}/claim").status_code == 404
    assert api(sdr).post("/leads/999999/claim").status_code == 404
    pooled.refresh_from_db()
    assert pooled.in_pool


def test_a_claim_over_the_open_lead_limit_is_refused_with_the_figures(org, api, settings):
    # given the peer holds 2 open leads (and a converted and a disqualified one, which do not
    # count) and may hold 2
    settings.GENDAN_MAX_OPEN_LEADS = 2
    LeadFactory.create_batch(2, owner=org.peer, status="contacted")
    LeadFactory(owner=org.peer, status="converted")
    LeadFactory(owner=org.peer, status="disqualified")
    pooled = pooled_lead(org.owner)
    # when they claim
    response = api(org.peer).post(f"/leads/{pooled.pk}/claim")
    # then 409 says how many they hold and what the limit is
    assert response.status_code == 409
    assert response.json()["open_leads"] == 2
    assert response.json()["limit"] == 2
    pooled.refresh_from_db()
    assert pooled.in_pool and pooled.owner_id == org.owner.pk
    # and a personal limit overrides the organisation's
    org.peer.max_open_leads = 3
    org.peer.save()
    assert api(org.peer).post(f"/leads/{pooled.pk}/claim").status_code == 200


def test_a_former_owner_waits_for_the_cooling_period(org, api, settings):
    # given a 7-day cooling period and a lead the owner released
    settings.GENDAN_POOL_COOLING_DAYS = 7
    lead = LeadFactory(owner=org.owner)
    pool.lead_release(actor=org.owner, lead_id=lead.pk, reason="Not interested")
    # when the owner tries to claim it back at once
    response = api(org.owner).post(f"/leads/{lead.pk}/claim")
    # then 409 names the moment they may claim it again
    assert response.status_code == 409
    released_at = LeadPoolEvent.objects.get(lead=lead).at
    expected = released_at + timedelta(days=7)
    assert response.json()["claimable_from"] == expected.isoformat()
    assert timezone.localtime(expected).strftime("%Y-%m-%d") in response.json()["detail"]
    # but a teammate may claim it
    # and once the period is over the former owner may too
    LeadPoolEvent.objects.filter(lead=lead).update(at=released_at - timedelta(days=7, seconds=1))
    assert api(org.owner).post(f"/leads/{lead.pk}/claim").status_code == 200


def test_cooling_also_applies_when_the_system_took_the_lead(org, api, settings):
    settings.GENDAN_POOL_COOLING_DAYS = 3
    pooled = pooled_lead(org.owner)
    assert api(org.owner).post(f"/leads/{pooled.pk}/claim").status_code == 409
    assert api(org.peer).post(f"/leads/{pooled.pk}/claim").status_code == 200


def test_no_cooling_when_the_period_is_zero(org, api, settings):
    settings.GENDAN_POOL_COOLING_DAYS = 0
    pooled = pooled_lead(org.owner)
    assert api(org.owner).post(f"/leads/{pooled.pk}/claim").status_code == 200


def test_the_loser_of_a_claim_race_gets_409(org, api):
    # given a claim that already went through (the conditional update found the lead gone)
    pooled = pooled_lead(org.owner)
    assert api(org.peer).post(f"/leads/{pooled.pk}/claim").status_code == 200
    sdr = UserFactory(role_code="sdr", team=org.team_a)
    response = api(sdr).post(f"/leads/{pooled.pk}/claim")
    assert response.status_code == 409
    assert api(org.outsider).post(f"/leads/{pooled.pk}/claim").status_code == 404
    pooled.refresh_from_db()
    assert pooled.owner_id == org.peer.pk


@pytest.mark.parametrize("status", ["new", "contacted", "qualified"])
def test_open_statuses_count_towards_the_limit(org, status):
    LeadFactory(owner=org.peer, status=status)
    pooled_lead(org.peer)  # a pool lead is nobody's open lead
    assert pool.open_lead_count(org.peer) == 1


def test_a_pool_lead_is_worked_on_only_after_a_claim(org, api):
    from gendan.leads import pool
    from tests.factories import LeadFactory

    lead = LeadFactory(owner=org.owner)
    pool.lead_move_to_pool(actor=system_actor(), lead_id=lead.pk, reason="idle")
    client = api(org.peer)
    assert client.patch(f"/leads/{lead.pk}", {"name": "Mine now"}).status_code == 409
    follow_up = {"subject_type": "lead", "subject_id": lead.pk, "summary": "hi"}
    assert client.post("/activities", follow_up).status_code == 409
    assert client.post(f"/leads/{lead.pk}/claim").status_code == 200
    assert client.patch(f"/leads/{lead.pk}", {"name": "Mine now"}).status_code == 200
