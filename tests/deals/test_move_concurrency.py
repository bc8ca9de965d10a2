"""Moves of one deal at the same moment, each sent with the version its sender read: exactly
one is applied, every other answers 409 and changes nothing. Real threads through the API,
each with its own connection to the committed database (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from gendan.deals.models import Deal, StageChange
from tests.conftest import ApiClient
from tests.factories import DealFactory, TeamFactory, UserFactory, stage

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent connections: PostgreSQL"
    ),
]

TARGETS = ("Proposal & quote", "Lost")


def test_simultaneous_moves_with_one_version_let_exactly_one_through():
    # given an open deal in Discovery, and its owner, manager and an admin on ten clients
    team = TeamFactory()
    owner = UserFactory(role_code="ae", team=team)
    manager = UserFactory(role_code="sm", team=team)
    team.manager = manager
    team.save()
    admin = UserFactory(role_code="admin")
    deal = DealFactory(owner=owner, expected_close_date=timezone.localdate() + timedelta(days=30))
    version = deal.version
    people = [owner, manager, admin]
    clients = [ApiClient(people[i % len(people)]) for i in range(10)]
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, str]] = []

    def move(i: int, client: ApiClient):
        target = TARGETS[i % len(TARGETS)]
        body = {"stage_id": stage(target).pk, "version": version, "lost_reason": "Budget cut"}
        try:
            barrier.wait()
            answer = client.post(f"/deals/{deal.pk}/move", body)
            answers.append((answer.status_code, target))
        except Exception as exc:  # reported, and the test fails on it
            answers.append((0, repr(exc)))
        finally:
            connections.close_all()

    # when all ten move the deal at once, half to Proposal & quote, half to Lost
    threads = [threading.Thread(target=move, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one move went through and nine got the conflict
    statuses = sorted(status for status, _target in answers)
    assert statuses == [200] + [409] * 9, answers
    winner = next(target for status, target in answers if status == 200)
    # and the deal is where the winner put it, changed once
    deal = Deal.objects.select_related("stage").get(pk=deal.pk)
    assert deal.stage.name == winner
    assert deal.version == version + 1
    assert StageChange.objects.filter(deal=deal).count() == 1


def test_simultaneous_moves_without_a_version_are_applied_one_after_another():
    # given an open deal in Discovery and ten clients of its owner
    owner = UserFactory(role_code="sm", team=TeamFactory())
    deal = DealFactory(owner=owner, expected_close_date=timezone.localdate() + timedelta(days=30))
    clients = [ApiClient(owner) for _ in range(10)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def move(i: int, client: ApiClient):
        body = {"stage_id": stage(TARGETS[i % len(TARGETS)]).pk, "lost_reason": "Budget cut"}
        try:
            barrier.wait()
            statuses.append(client.post(f"/deals/{deal.pk}/move", body).status_code)
        except Exception as exc:  # reported, and the test fails on it
            statuses.append(repr(exc))
        finally:
            connections.close_all()

    # when all ten move it at once, to Proposal & quote or Lost, sending no version
    threads = [threading.Thread(target=move, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every move is answered (a sales manager may reopen a lost deal), none lost
    assert statuses == [200] * 10, statuses
    # and each real change is one stage change and one version
    deal.refresh_from_db()
    changes = StageChange.objects.filter(deal=deal).count()
    assert 1 <= changes <= 10
    assert deal.version == 1 + changes
