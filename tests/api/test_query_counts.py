"""Lists, the board and the timeline run the same number of queries for 5 rows or 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.deals.models import DealCollaborator
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    DealFactory,
    LeadFactory,
    TaskFactory,
    TimelineEventFactory,
)

MAX_QUERIES = 8


def _deals(org, n):
    for deal in DealFactory.create_batch(n, owner=org.owner):
        DealCollaborator.objects.create(deal=deal, user=org.peer, role="se")


def _timeline_lead(org):
    from gendan.leads.models import Lead

    return Lead.objects.get_or_create(
        name="Timeline", defaults={"owner": org.owner, "company": "T"}
    )[0]


MAKERS = {
    "/leads": lambda org, n: LeadFactory.create_batch(n, owner=org.owner),
    "/customers": lambda org, n: CustomerFactory.create_batch(n, owner=org.owner),
    "/contacts": lambda org, n: ContactFactory.create_batch(n, customer__owner=org.owner),
    "/deals": _deals,
    "/deals/board": _deals,
    "/activities": lambda org, n: ActivityFactory.create_batch(n, lead__owner=org.owner),
    "/tasks": lambda org, n: TaskFactory.create_batch(n, assignee=org.owner),
    "/timeline": lambda org, n: TimelineEventFactory.create_batch(
        n, lead=_timeline_lead(org), actor=org.peer
    ),
}


def _params(org, path):
    if path == "/timeline":
        return {"subject_type": "lead", "subject_id": _timeline_lead(org).pk, "page_size": 100}
    if path == "/deals/board":
        return {"limit": 100}
    return {"page_size": 100}


def _count_queries(client, path, params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def _rows(body) -> int:
    if "columns" in body:
        return sum(len(c["cards"]) for c in body["columns"])
    return len(body["items"])


@pytest.mark.parametrize("who", ["owner", "manager"])
@pytest.mark.parametrize("path", MAKERS)
def test_queries_do_not_grow_with_the_rows(org, api, path, who):
    # given 5 records, and a caller who has already used their token once
    client = api(getattr(org, who))
    client.get("/me")
    MAKERS[path](org, 5)
    small, small_body = _count_queries(client, path, _params(org, path))
    # when 25 more exist
    MAKERS[path](org, 25)
    large, large_body = _count_queries(client, path, _params(org, path))
    # then the page holds 6 times the rows for the same, small number of queries
    assert (_rows(small_body), _rows(large_body)) == (5, 30)
    assert small == large
    assert large <= MAX_QUERIES


def test_board_and_list_have_a_fixed_bound(org, api, django_assert_max_num_queries):
    _deals(org, 40)
    client = api(org.manager)
    client.get("/me")
    with django_assert_max_num_queries(MAX_QUERIES):
        board = client.get("/deals/board", {"limit": 50}).json()
    with django_assert_max_num_queries(MAX_QUERIES):
        deals = client.get("/deals", {"page_size": 200}).json()
    assert sum(c["count"] for c in board["columns"]) == 40
    assert deals["count"] == 40
