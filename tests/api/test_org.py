"""Users, teams and roles: admins manage them, everyone signed in can read them."""

import pytest

from gendan.org.models import Role, Team, User
from tests.factories import LeadFactory

NON_ADMINS = ["owner", "manager"]
ADMINS = ["admin", "superuser"]


@pytest.mark.parametrize("who", NON_ADMINS + ADMINS)
@pytest.mark.parametrize("path", ["/users", "/teams", "/roles"])
def test_everyone_signed_in_can_list_the_organisation(org, api, who, path):
    response = api(getattr(org, who)).get(path)
    assert response.status_code == 200
    assert response.json()["count"] > 0


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_admins_create_or_change_users_teams_and_roles(org, api, who):
    # given a sales consultant or a sales manager
    client = api(getattr(org, who))
    ae = Role.objects.get(code="ae")
    before = (User.objects.count(), Team.objects.count())
    # when they try to manage the organisation
    responses = [
        client.post("/users", {"username": "newbie", "password": "Long-enough-pw-1"}),
        client.patch(f"/users/{org.peer.pk}", {"role_id": ae.pk, "is_active": False}),
        client.post("/teams", {"name": "North"}),
        client.patch(f"/teams/{org.team_a.pk}", {"name": "Renamed"}),
        client.delete(f"/teams/{org.team_b.pk}"),
        client.patch(f"/roles/{ae.pk}", {"scope": "all"}),
    ]
    # then each is refused with 403 and nothing changed
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert (User.objects.count(), Team.objects.count()) == before
    ae.refresh_from_db()
    org.team_a.refresh_from_db()
    assert ae.scope == "own"
    assert org.team_a.name == "East"


@pytest.mark.parametrize("who", ADMINS)
def test_admin_creates_users_and_teams(org, api, who):
    client = api(getattr(org, who))
    sm = Role.objects.get(code="sm")
    team = client.post("/teams", {"name": "North", "parent_id": org.team_a.pk})
    assert team.status_code == 201
    user = client.post(
        "/users",
        {
            "username": "wang.fang",
            "password": "Long-enough-pw-1",
            "role_id": sm.pk,
            "team_id": team.json()["id"],
        },
    )
    assert user.status_code == 201
    body = user.json()
    assert body["role_code"] == "sm"
    assert "password" not in body
    assert User.objects.get(username="wang.fang").check_password("Long-enough-pw-1")


def test_user_create_validates_password_and_username(org, api):
    client = api(org.admin)
    before = User.objects.count()
    weak = client.post("/users", {"username": "x1", "password": "123"})
    taken = client.post("/users", {"username": "OWNER", "password": "Long-enough-pw-1"})
    assert weak.status_code == 422 and "password" in weak.json()["errors"]
    assert taken.status_code == 422 and "username" in taken.json()["errors"]
    assert User.objects.count() == before


def test_a_user_may_edit_their_own_profile_but_not_their_role(org, api):
    client = api(org.owner)
    ok = client.patch(f"/users/{org.owner.pk}", {"display_name": "Li Lei"})
    refused = client.patch(f"/users/{org.owner.pk}", {"team_id": org.team_b.pk})
    assert ok.status_code == 200 and ok.json()["display_name"] == "Li Lei"
    assert refused.status_code == 403


def test_admin_cannot_deactivate_themselves(org, api):
    response = api(org.admin).patch(f"/users/{org.admin.pk}", {"is_active": False})
    assert response.status_code == 422
    assert "is_active" in response.json()["errors"]


def test_team_tree_refuses_a_cycle(org, api):
    # given East ⟶ East / Shanghai
    client = api(org.admin)
    grandchild = client.post("/teams", {"name": "Pudong", "parent_id": org.sub_team.pk}).json()
    # when East is put under its own descendant, or a team under itself
    cycle = client.patch(f"/teams/{org.team_a.pk}", {"parent_id": grandchild["id"]})
    itself = client.patch(f"/teams/{org.team_b.pk}", {"parent_id": org.team_b.pk})
    # then both are refused and the tree is unchanged
    assert cycle.status_code == 422
    assert "parent_id" in cycle.json()["errors"]
    assert itself.status_code == 422
    org.team_a.refresh_from_db()
    assert org.team_a.parent_id is None


def test_team_with_members_cannot_be_deleted(org, api):
    client = api(org.admin)
    assert client.delete(f"/teams/{org.team_b.pk}").status_code == 409
    empty = client.post("/teams", {"name": "Empty"}).json()
    assert client.delete(f"/teams/{empty['id']}").status_code == 204


def test_role_scope_change_by_admin_takes_effect(org, api):
    # given a lead of team B, unseen by a sales consultant of team A
    lead = LeadFactory(owner=org.outsider)
    rep = api(org.owner)
    assert rep.get(f"/leads/{lead.pk}").status_code == 404
    ae = Role.objects.get(code="ae")
    # when an admin widens the ae role to all records
    response = api(org.admin).patch(f"/roles/{ae.pk}", {"scope": "all"})
    # then the consultant sees the other team's lead
    assert response.status_code == 200
    assert response.json()["scope"] == "all"
    assert rep.get(f"/leads/{lead.pk}").status_code == 200
    assert lead.pk in [item["id"] for item in rep.get("/leads").json()["items"]]


def test_role_scope_team_lets_a_rep_see_the_team(org, api):
    lead = LeadFactory(owner=org.peer)
    ae = Role.objects.get(code="ae")
    api(org.admin).patch(f"/roles/{ae.pk}", {"scope": "team"})
    assert api(org.owner).get(f"/leads/{lead.pk}").status_code == 200
    assert api(org.outsider).get(f"/leads/{lead.pk}").status_code == 404


def test_me_reports_scope_and_teams(org, api):
    body = api(org.manager).get("/me").json()
    assert body["scope"] == "team"
    assert set(body["team_ids"]) == {org.team_a.pk, org.sub_team.pk}
    assert api(org.superuser).get("/me").json()["is_admin"] is True
