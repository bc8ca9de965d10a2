"""Record-level scope for every resource (DESIGN.md §5): one matrix, one place.

The records belong to `owner` (ae, team A). A peer in team A (own scope) and a rep of team B
see none of them; team A's manager and the admins see all of them; anonymous callers get 401.
"""

import pytest

from gendan.customers import services as customer_services
from gendan.deals import services as deal_services
from gendan.deals.models import Deal
from gendan.followups import services as activity_services
from gendan.leads import services as lead_services
from tests.factories import CustomerFactory, DealFactory, LeadFactory, stage

VISIBLE = {
    "owner": True,
    "peer": False,
    "manager": True,
    "outsider": False,
    "admin": True,
    "superuser": True,
}
VIEWERS = list(VISIBLE)
HIDDEN_FROM = [v for v, seen in VISIBLE.items() if not seen]

# resource -> (path, key of the record in the scene, body of a harmless PATCH)
RESOURCES = {
    "leads": ("/leads", "lead", {"notes": "changed"}),
    "customers": ("/customers", "customer", {"notes": "changed"}),
    "contacts": ("/contacts", "contact", {"notes": "changed"}),
    "deals": ("/deals", "deal", {"notes": "changed"}),
    "activities": ("/activities", "activity", {"summary": "changed"}),
    "tasks": ("/tasks", "task", {"title": "changed"}),
}


@pytest.fixture
def scene(org):
    """One of each record, all owned by `owner` and all named with the word Zebra."""
    owner = org.owner
    lead = lead_services.lead_create(
        actor=owner, data={"name": "Zebra lead", "company": "Zebra Lead Co"}
    )
    customer = customer_services.customer_create(actor=owner, data={"name": "Zebra Co"})
    contact = customer_services.contact_create(
        actor=owner, data={"customer_id": customer.pk, "name": "Zebra contact"}
    )
    deal = deal_services.deal_create(
        actor=owner,
        data={"name": "Zebra deal", "customer_id": customer.pk, "amount": "1000"},
    )
    activity = activity_services.activity_log(
        actor=owner,
        data={"subject_type": "deal", "subject_id": deal.pk, "summary": "Zebra call"},
    )
    task = activity_services.task_create(
        actor=owner,
        data={"title": "Zebra task", "subject_type": "deal", "subject_id": deal.pk},
    )
    return {
        "lead": lead,
        "customer": customer,
        "contact": contact,
        "deal": deal,
        "activity": activity,
        "task": task,
    }


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_list_search_and_count_follow_the_scope(org, scene, api, resource, viewer):
    # given a record of the owner and a caller
    path, key, _patch = RESOURCES[resource]
    record = scene[key]
    client = api(getattr(org, viewer))
    seen = VISIBLE[viewer]
    # when the caller reads it, lists, searches and counts
    detail = client.get(f"{path}/{record.pk}")
    listed = client.get(path)
    searched = client.get(path, {"q": "Zebra"})
    # then the record is there exactly when the scope reaches it; 404 otherwise
    assert detail.status_code == (200 if seen else 404)
    if not seen:
        assert detail.json() == {"detail": detail.json()["detail"]}
    assert (record.pk in _ids(listed)) is seen
    assert (record.pk in _ids(searched)) is seen
    assert searched.json()["count"] == (1 if seen else 0)


@pytest.mark.parametrize("viewer", HIDDEN_FROM)
@pytest.mark.parametrize("resource", RESOURCES)
def test_out_of_scope_record_cannot_be_changed_or_deleted(org, scene, api, resource, viewer):
    path, key, patch = RESOURCES[resource]
    record = scene[key]
    client = api(getattr(org, viewer))
    version = type(record).objects.get(pk=record.pk).version
    # when someone outside the scope patches or deletes the record
    patched = client.patch(f"{path}/{record.pk}", patch)
    deleted = client.delete(f"{path}/{record.pk}")
    # then both answer 404 as for a missing record, and the record is untouched
    assert patched.status_code == 404
    assert deleted.status_code == 404
    assert type(record).objects.get(pk=record.pk).version == version


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_gets_401_on_records(org, scene, api, resource):
    path, key, patch = RESOURCES[resource]
    pk = scene[key].pk
    client = api()
    assert client.get(path).status_code == 401
    assert client.get(f"{path}/{pk}").status_code == 401
    assert client.patch(f"{path}/{pk}", patch).status_code == 401
    assert client.delete(f"{path}/{pk}").status_code == 401


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("subject", ["lead", "customer", "deal"])
def test_timeline_follows_the_scope(org, scene, api, subject, viewer):
    response = api(getattr(org, viewer)).get(
        "/timeline", {"subject_type": subject, "subject_id": scene[subject].pk}
    )
    if VISIBLE[viewer]:
        assert response.status_code == 200
        assert response.json()["count"] > 0
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("viewer", VIEWERS)
def test_stage_history_follows_the_scope(org, scene, api, viewer):
    response = api(getattr(org, viewer)).get(f"/deals/{scene['deal'].pk}/stage-history")
    assert response.status_code == (200 if VISIBLE[viewer] else 404)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_board_counts_and_cards_follow_the_scope(org, scene, api, viewer):
    deal = scene["deal"]
    response = api(getattr(org, viewer)).get("/deals/board")
    assert response.status_code == 200
    column = next(c for c in response.json()["columns"] if c["stage_id"] == deal.stage_id)
    card_ids = [card["id"] for card in column["cards"]]
    searched = api(getattr(org, viewer)).get("/deals/board", {"q": "Zebra"}).json()
    total = sum(c["count"] for c in searched["columns"])
    if VISIBLE[viewer]:
        assert deal.pk in card_ids
        assert column["count"] == 1
        assert column["amount"] == "1000.00"
        assert total == 1
    else:
        assert card_ids == []
        assert column["count"] == 0
        assert float(column["amount"]) == 0
        assert total == 0


def test_an_outsider_cannot_log_follow_ups_or_tasks_on_hidden_records(org, scene, api):
    client = api(org.outsider)
    for subject in ("lead", "customer", "deal"):
        follow_up = client.post(
            "/activities",
            {"subject_type": subject, "subject_id": scene[subject].pk, "summary": "sneaky"},
        )
        task = client.post(
            "/tasks", {"title": "sneaky", "subject_type": subject, "subject_id": scene[subject].pk}
        )
        assert follow_up.status_code == 422
        assert task.status_code == 422


def test_an_outsider_cannot_move_convert_or_join_hidden_records(org, scene, api):
    client = api(org.outsider)
    deal, lead = scene["deal"], scene["lead"]
    assert client.post(f"/deals/{deal.pk}/move", {"stage_id": stage("Lost").pk}).status_code == 404
    assert (
        client.post(f"/deals/{deal.pk}/collaborators", {"user_id": org.outsider.pk}).status_code
        == 404
    )
    assert client.post(f"/leads/{lead.pk}/convert", {}).status_code == 404
    other_customer = CustomerFactory(owner=org.outsider)
    assert (
        client.post("/deals", {"name": "Steal", "customer_id": scene["customer"].pk}).status_code
        == 422
    )
    assert (
        client.post("/deals", {"name": "Fine", "customer_id": other_customer.pk}).status_code == 201
    )


@pytest.mark.parametrize("resource", ["leads", "customers", "deals"])
def test_manager_sees_records_of_sub_teams(org, api, resource):
    # given records of a member of a sub-team of team A, and of team B
    factory = {"leads": LeadFactory, "customers": CustomerFactory, "deals": DealFactory}[resource]
    mine = factory(owner=org.sub_rep)
    theirs = factory(owner=org.outsider)
    manager = api(org.manager)
    # then team A's manager sees the sub-team's record and not team B's
    assert manager.get(f"/{resource}/{mine.pk}").status_code == 200
    assert manager.get(f"/{resource}/{theirs.pk}").status_code == 404
    ids = _ids(manager.get(f"/{resource}"))
    assert mine.pk in ids
    assert theirs.pk not in ids
    # and team B's rep does not see the sub-team's record
    assert api(org.outsider).get(f"/{resource}/{mine.pk}").status_code == 404


def test_manager_of_a_team_sees_it_through_team_manager_only(org, api):
    # given a manager who is not a member of team B but is set as its manager
    org.team_b.manager = org.manager
    org.team_b.save()
    lead = LeadFactory(owner=org.outsider)
    # then the managed team's records are in their scope
    assert api(org.manager).get(f"/leads/{lead.pk}").status_code == 200


def test_collaborator_sees_the_deal_and_its_customer(org, api):
    # given a deal of team B that a team A consultant cannot see
    deal = DealFactory(owner=org.outsider)
    helper = api(org.owner)
    assert helper.get(f"/deals/{deal.pk}").status_code == 404
    assert helper.get(f"/customers/{deal.customer_id}").status_code == 404
    # when the deal's owner adds them as a collaborator
    response = api(org.outsider).post(
        f"/deals/{deal.pk}/collaborators", {"user_id": org.owner.pk, "role": "se"}
    )
    # then they see the deal, its customer, and its timeline
    assert response.status_code == 201
    assert helper.get(f"/deals/{deal.pk}").status_code == 200
    assert helper.get(f"/customers/{deal.customer_id}").status_code == 200
    assert deal.pk in _ids(helper.get("/deals"))
    assert deal.pk in _ids(helper.get("/deals", {"collaborator_id": org.owner.pk}))
    timeline = helper.get("/timeline", {"subject_type": "deal", "subject_id": deal.pk})
    assert timeline.status_code == 200
    # and lose it again when removed
    removed = api(org.outsider).delete(f"/deals/{deal.pk}/collaborators/{org.owner.pk}")
    assert removed.status_code == 204
    assert helper.get(f"/deals/{deal.pk}").status_code == 404


def test_collaborators_are_listed_on_the_deal(org, api):
    deal = DealFactory(owner=org.owner)
    api(org.owner).post(f"/deals/{deal.pk}/collaborators", {"user_id": org.peer.pk, "role": "se"})
    body = api(org.owner).get(f"/deals/{deal.pk}").json()
    assert body["collaborators"] == [{"user_id": org.peer.pk, "name": org.peer.name, "role": "se"}]
    assert Deal.objects.get(pk=deal.pk).collaborators.count() == 1
