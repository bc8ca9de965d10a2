"""One timeline per record: what happened, newest first, paginated."""

from datetime import date

from tests.factories import CustomerFactory, stage


def _kinds(client, subject_type, subject_id, **params):
    response = client.get(
        "/timeline", {"subject_type": subject_type, "subject_id": subject_id, **params}
    )
    assert response.status_code == 200, response.content
    return [event["kind"] for event in response.json()["items"]]


def test_deal_timeline_tells_the_story_newest_first(org, api):
    # given a deal that is created, reassigned, re-priced, worked on and won
    owner, manager = api(org.owner), api(org.manager)
    customer = CustomerFactory(owner=org.owner)
    deal = owner.post(
        "/deals",
        {
            "name": "ERP",
            "customer_id": customer.pk,
            "amount": "1000",
            "expected_close_date": "2030-06-30",
        },
    ).json()
    path = f"/deals/{deal['id']}"
    assert manager.patch(path, {"owner_id": org.peer.pk}).status_code == 200
    peer = api(org.peer)
    assert peer.patch(path, {"amount": "2000"}).status_code == 200
    assert peer.post(f"{path}/move", {"stage_id": stage("Proposal & quote").pk}).status_code == 200
    follow_up = peer.post(
        "/activities", {"subject_type": "deal", "subject_id": deal["id"], "summary": "Demo done"}
    )
    task = peer.post(
        "/tasks", {"title": "Send contract", "subject_type": "deal", "subject_id": deal["id"]}
    ).json()
    assert peer.patch(f"/tasks/{task['id']}", {"status": "done"}).status_code == 200
    assert peer.post(f"{path}/move", {"stage_id": stage("Won").pk}).status_code == 200
    # when its timeline is read
    response = peer.get("/timeline", {"subject_type": "deal", "subject_id": deal["id"]})
    # then every event is there, newest first
    events = response.json()["items"]
    assert [e["kind"] for e in events] == [
        "status_changed",
        "stage_changed",
        "task_done",
        "task_created",
        "follow_up",
        "stage_changed",
        "amount_changed",
        "owner_changed",
        "created",
    ]
    assert response.json()["count"] == len(events)
    times = [e["occurred_at"] for e in events]
    assert times == sorted(times, reverse=True)
    by_kind = {}
    for event in reversed(events):
        by_kind[event["kind"]] = event
    assert by_kind["owner_changed"]["data"] == {
        "field": "owner_id",
        "from": org.owner.pk,
        "to": org.peer.pk,
        "from_name": org.owner.name,
        "to_name": org.peer.name,
    }
    assert by_kind["owner_changed"]["actor_id"] == org.manager.pk
    assert by_kind["owner_changed"]["actor_name"] == org.manager.name
    assert by_kind["amount_changed"]["data"]["to"] in ("2000", "2000.00")
    assert by_kind["stage_changed"]["data"]["to_name"] == "Won"
    assert by_kind["status_changed"]["data"]["to"] == "won"
    assert by_kind["follow_up"]["activity"]["id"] == follow_up.json()["id"]
    assert by_kind["follow_up"]["activity"]["summary"] == "Demo done"
    assert by_kind["task_done"]["task"]["id"] == task["id"]
    assert by_kind["task_done"]["task"]["status"] == "done"


def test_lead_timeline_through_conversion(org, api):
    client = api(org.owner)
    lead = client.post("/leads", {"name": "Han", "company": "Acme"}).json()
    client.post(
        "/activities", {"subject_type": "lead", "subject_id": lead["id"], "summary": "First call"}
    )
    client.patch(f"/leads/{lead['id']}", {"status": "qualified"})
    links = client.post(f"/leads/{lead['id']}/convert", {"deal": {"amount": "5"}}).json()
    assert _kinds(client, "lead", lead["id"]) == [
        "converted",
        "status_changed",
        "status_changed",
        "status_changed",
        "follow_up",
        "created",
    ]
    statuses = [
        (e["data"]["from"], e["data"]["to"])
        for e in client.get("/timeline", {"subject_type": "lead", "subject_id": lead["id"]}).json()[
            "items"
        ]
        if e["kind"] == "status_changed"
    ]
    assert statuses == [
        ("qualified", "converted"),
        ("contacted", "qualified"),
        ("new", "contacted"),
    ]
    assert _kinds(client, "customer", links["customer_id"]) == [
        "converted",
        "deal_created",
        "contact_added",
        "created",
    ]
    assert _kinds(client, "deal", links["deal_id"]) == ["converted", "created"]


def test_timeline_is_paginated(org, api):
    client = api(org.owner)
    lead = client.post("/leads", {"name": "Han", "company": "Acme"}).json()
    for n in range(4):
        client.patch(f"/leads/{lead['id']}", {"name": f"Han {n}"})
    first = client.get(
        "/timeline",
        {"subject_type": "lead", "subject_id": lead["id"], "page": 1, "page_size": 3},
    ).json()
    second = client.get(
        "/timeline",
        {"subject_type": "lead", "subject_id": lead["id"], "page": 2, "page_size": 3},
    ).json()
    assert first["count"] == second["count"] == 5
    assert len(first["items"]) == 3
    assert len(second["items"]) == 2
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert second["items"][-1]["kind"] == "created"
    assert first["items"][0]["data"]["fields"]["name"]["to"] == "Han 3"


def test_timeline_needs_a_known_subject(org, api):
    client = api(org.owner)
    assert client.get("/timeline", {"subject_type": "pigeon", "subject_id": 1}).status_code == 422
    assert client.get("/timeline", {"subject_type": "lead"}).status_code == 422
    assert client.get("/timeline", {"subject_type": "lead", "subject_id": 999}).status_code == 404


def test_untracked_changes_leave_no_event(org, api):
    client = api(org.owner)
    lead = client.post("/leads", {"name": "Han", "company": "Acme"}).json()
    client.patch(f"/leads/{lead['id']}", {"notes": "likes tea"})
    client.patch(f"/leads/{lead['id']}", {"name": "Han"})
    assert _kinds(client, "lead", lead["id"]) == ["created"]


def test_customer_timeline_records_edits(org, api):
    client = api(org.owner)
    customer = client.post("/customers", {"name": "Acme"}).json()
    client.patch(f"/customers/{customer['id']}", {"industry": "Retail", "status": "active"})
    events = client.get(
        "/timeline", {"subject_type": "customer", "subject_id": customer["id"]}
    ).json()["items"]
    kinds = {e["kind"] for e in events}
    assert {"created", "updated", "status_changed"} <= kinds
    assert date.today()  # the timeline has no date filter; the record's dates are in `data`
