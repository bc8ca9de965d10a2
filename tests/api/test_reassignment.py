"""Who may give a record to whom: own scope keeps it, a manager moves it within the team tree."""

import pytest

from tests.factories import CustomerFactory, DealFactory, LeadFactory

FACTORIES = {"leads": LeadFactory, "customers": CustomerFactory, "deals": DealFactory}


@pytest.mark.parametrize("resource", FACTORIES)
def test_own_scope_user_cannot_give_a_record_away(org, api, resource):
    # given a record of a sales consultant (scope own)
    record = FACTORIES[resource](owner=org.owner)
    # when they assign it to a teammate
    response = api(org.owner).patch(f"/{resource}/{record.pk}", {"owner_id": org.peer.pk})
    # then 422 on owner_id and the owner is unchanged
    assert response.status_code == 422
    assert "owner_id" in response.json()["errors"]
    record.refresh_from_db()
    assert record.owner_id == org.owner.pk


def test_own_scope_user_cannot_create_for_someone_else(org, api):
    client = api(org.owner)
    customer = CustomerFactory(owner=org.owner)
    lead = client.post("/leads", {"name": "A", "company": "B", "owner_id": org.peer.pk})
    cust = client.post("/customers", {"name": "B", "owner_id": org.peer.pk})
    deal = client.post("/deals", {"name": "D", "customer_id": customer.pk, "owner_id": org.peer.pk})
    for response in (lead, cust, deal):
        assert response.status_code == 422
        assert "owner_id" in response.json()["errors"]


@pytest.mark.parametrize("resource", FACTORIES)
@pytest.mark.parametrize("target", ["peer", "sub_rep", "manager"])
def test_manager_assigns_within_the_team_tree(org, api, resource, target):
    record = FACTORIES[resource](owner=org.owner)
    new_owner = getattr(org, target)
    response = api(org.manager).patch(f"/{resource}/{record.pk}", {"owner_id": new_owner.pk})
    assert response.status_code == 200
    assert response.json()["owner_id"] == new_owner.pk


@pytest.mark.parametrize("resource", FACTORIES)
def test_manager_cannot_assign_to_another_team(org, api, resource):
    record = FACTORIES[resource](owner=org.owner)
    response = api(org.manager).patch(f"/{resource}/{record.pk}", {"owner_id": org.outsider.pk})
    assert response.status_code == 422
    assert "owner_id" in response.json()["errors"]
    record.refresh_from_db()
    assert record.owner_id == org.owner.pk


def test_nobody_can_assign_to_an_inactive_user(org, api):
    org.peer.is_active = False
    org.peer.save()
    lead = LeadFactory(owner=org.owner)
    response = api(org.admin).patch(f"/leads/{lead.pk}", {"owner_id": org.peer.pk})
    assert response.status_code == 422


def test_admin_assigns_to_anyone(org, api):
    lead = LeadFactory(owner=org.owner)
    response = api(org.admin).patch(f"/leads/{lead.pk}", {"owner_id": org.outsider.pk})
    assert response.status_code == 200
    # and the former owner no longer sees it
    assert api(org.owner).get(f"/leads/{lead.pk}").status_code == 404


def test_task_assignee_follows_the_same_rule(org, api):
    refused = api(org.owner).post("/tasks", {"title": "Call", "assignee_id": org.peer.pk})
    allowed = api(org.manager).post("/tasks", {"title": "Call", "assignee_id": org.peer.pk})
    assert refused.status_code == 422
    assert "assignee_id" in refused.json()["errors"]
    assert allowed.status_code == 201
