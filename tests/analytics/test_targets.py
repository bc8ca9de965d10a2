"""Targets (业绩目标): who may set them, validation, and target vs actual."""

from decimal import Decimal

import pytest

from tests.analytics.conftest import MARCH, at, make_deal, make_lead

pytestmark = pytest.mark.django_db


def _target(**kw):
    return {"period": "month", "start": "2026-03-01", "metric": "deals_won", "value": "4", **kw}


def test_a_manager_sets_targets_in_their_team_scope(org, api):
    client = api(org.manager)
    created = client.post("/targets", _target(team_id=org.team_a.pk))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["team_id"] == org.team_a.pk and body["version"] == 1
    assert Decimal(body["value"]) == 4
    # a user of a sub-team is in scope; the outsider (team B) and team B are not
    assert client.post("/targets", _target(user_id=org.sub_rep.pk)).status_code == 201
    outside = client.post("/targets", _target(user_id=org.outsider.pk))
    assert outside.status_code == 422 and "user_id" in outside.json()["errors"]
    assert client.post("/targets", _target(team_id=org.team_b.pk)).status_code == 422
    # a duplicate answers 409
    assert client.post("/targets", _target(team_id=org.team_a.pk)).status_code == 409


def test_reps_cannot_set_targets_but_read_their_own(org, api):
    admin = api(org.admin)
    mine = admin.post("/targets", _target(user_id=org.owner.pk)).json()
    admin.post("/targets", _target(user_id=org.outsider.pk))
    rep = api(org.owner)
    assert rep.post("/targets", _target(user_id=org.owner.pk)).status_code == 403
    assert rep.patch(f"/targets/{mine['id']}", {"value": "1"}).status_code == 403
    listed = rep.get("/targets").json()
    assert [t["id"] for t in listed["items"]] == [mine["id"]] and listed["count"] == 1


def test_target_validation_writes_nothing(org, api):
    client = api(org.admin)
    both = client.post("/targets", _target(user_id=org.owner.pk, team_id=org.team_a.pk))
    assert both.status_code == 422
    unaligned = client.post("/targets", _target(user_id=org.owner.pk, period="quarter",
                                                start="2026-02-01"))  # fmt: skip
    assert unaligned.status_code == 422 and "start" in unaligned.json()["errors"]
    negative = client.post("/targets", _target(user_id=org.owner.pk, value="-1"))
    assert negative.status_code == 422
    assert client.post("/targets", _target(user_id=org.owner.pk, metric="x")).status_code == 422
    assert client.get("/targets").json()["count"] == 0


def test_patch_honours_version_and_scope(org, api):
    client = api(org.manager)
    target = client.post("/targets", _target(user_id=org.owner.pk)).json()
    assert client.patch(f"/targets/{target['id']}", {"value": "9", "version": 7}).status_code == 409
    ok = client.patch(f"/targets/{target['id']}", {"value": "9", "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    other = api(org.admin).post("/targets", _target(user_id=org.outsider.pk)).json()
    assert client.get(f"/targets/{other['id']}").status_code == 404
    assert client.delete(f"/targets/{other['id']}").status_code == 404
    assert client.delete(f"/targets/{target['id']}").status_code == 204


def test_targets_report_team_actual_is_the_sum_of_members_with_sub_teams(org, api):
    # deals won in March: owner 1 (team A), sub_rep 1 (sub-team A1), outsider 1 (team B);
    # owner's won deal in April does not count for March
    make_deal(org.owner, [("Discovery", at(3, 2)), ("Won", at(3, 20))])
    make_deal(org.owner, [("Discovery", at(3, 2)), ("Won", at(4, 2))])
    make_deal(org.sub_rep, [("Discovery", at(3, 2)), ("Won", at(3, 11))])
    make_deal(org.outsider, [("Discovery", at(3, 2)), ("Won", at(3, 12))])
    for day in (2, 3, 4):
        make_lead(org.owner, at(3, day))
    make_lead(org.owner, at(4, 1))
    admin = api(org.admin)
    admin.post("/targets", _target(team_id=org.team_a.pk))  # 4 deals won
    admin.post("/targets", _target(user_id=org.owner.pk, metric="new_leads", value="6"))
    admin.post("/targets", _target(user_id=org.sub_rep.pk, value="1"))
    admin.post("/targets", _target(user_id=org.owner.pk, period="quarter", start="2026-01-01",
                                   value="2"))  # fmt: skip
    response = api(org.manager).get("/reports/targets", MARCH)
    assert response.status_code == 200
    rows = response.json()["rows"]
    team = next(r for r in rows if r.get("team_id") == org.team_a.pk)
    # team A = owner 1 + sub_rep 1 (sub-team) = 2 of 4 → 0.5; the outsider is in team B
    assert (team["actual"], team["attainment"]) == (2, 0.5)
    leads = next(r for r in rows if r["metric"] == "new_leads")
    assert (leads["user_id"], leads["actual"], leads["attainment"]) == (org.owner.pk, 3, 0.5)
    sub = next(r for r in rows if r.get("user_id") == org.sub_rep.pk)
    assert (sub["actual"], sub["attainment"]) == (1, 1.0)
    quarter = next(r for r in rows if r["period"] == "quarter")
    # Q1 = January–March: only the March win (April is Q2) → 1 of 2
    assert (quarter["actual"], quarter["attainment"]) == (1, 0.5)
    # team total equals the sum of its members' actuals
    members = [org.owner.pk, org.peer.pk, org.manager.pk, org.sub_rep.pk]
    board = api(org.admin).get("/reports/leaderboard", {**MARCH, "metric": "deals_won"}).json()
    assert sum(r["deals_won"] for r in board["rows"] if r["user_id"] in members) == 2
    # a rep sees only their own targets
    own = api(org.owner).get("/reports/targets", MARCH).json()["rows"]
    assert {r.get("user_id") for r in own} == {org.owner.pk}
