"""Deal services: create, move, update, collaborators."""

from datetime import date

import pytest

from gendan.activities.models import TimelineEvent
from gendan.core.errors import PermissionDenied, ValidationFailed
from gendan.deals import services
from gendan.deals.models import Deal, StageChange
from tests.factories import CustomerFactory, DealFactory, UserFactory, default_pipeline, stage


def test_create_writes_history_and_timeline(org):
    customer = CustomerFactory(owner=org.owner)
    deal = services.deal_create(actor=org.owner, data={"name": "D", "customer_id": customer.pk})
    assert StageChange.objects.filter(deal=deal, from_stage=None).count() == 1
    assert TimelineEvent.objects.filter(deal=deal, kind="created").exists()
    assert TimelineEvent.objects.filter(customer=customer, kind="deal_created").exists()


def test_create_in_the_lost_stage_needs_a_reason(org):
    customer = CustomerFactory(owner=org.owner)
    with pytest.raises(ValidationFailed) as exc:
        services.deal_create(
            actor=org.owner,
            data={"name": "D", "customer_id": customer.pk, "stage_id": stage("Lost").pk},
        )
    assert "lost_reason" in exc.value.errors


def test_create_with_collaborators(org):
    customer = CustomerFactory(owner=org.owner)
    deal = services.deal_create(
        actor=org.owner,
        data={
            "name": "D",
            "customer_id": customer.pk,
            "collaborators": [{"user_id": org.peer.pk, "role": "se"}],
        },
    )
    assert list(deal.collaborators.values_list("user_id", "role")) == [(org.peer.pk, "se")]
    with pytest.raises(ValidationFailed):
        services.deal_create(
            actor=org.owner,
            data={
                "name": "D",
                "customer_id": customer.pk,
                "collaborators": [{"user_id": org.peer.pk}, {"user_id": org.peer.pk}],
            },
        )


def test_stage_may_require_collaborators(org):
    pipeline = default_pipeline()
    review = services.stage_create(
        actor=org.admin,
        pipeline_id=pipeline.pk,
        data={"name": "Review", "required_fields": ["collaborators"], "order": 15},
    )
    deal = DealFactory(owner=org.owner)
    with pytest.raises(ValidationFailed) as exc:
        services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=review.pk)
    assert set(exc.value.errors) == {"collaborators"}
    services.collaborator_add(actor=org.owner, deal_id=deal.pk, user_id=org.peer.pk)
    moved = services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=review.pk)
    assert moved.stage_id == review.pk


def test_move_missing_fields_and_lost_reason_are_reported_together(org):
    pipeline = default_pipeline()
    services.stage_update(
        actor=org.admin, stage_id=stage("Lost").pk, data={"required_fields": ["amount"]}
    )
    deal = DealFactory(owner=org.owner, amount=None)
    with pytest.raises(ValidationFailed) as exc:
        services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=stage("Lost", pipeline).pk)
    assert set(exc.value.errors) == {"amount", "lost_reason"}


def test_update_with_stage_id_moves_through_the_same_checks(org):
    deal = DealFactory(owner=org.owner, expected_close_date=date(2030, 1, 1))
    services.deal_update(
        actor=org.owner, deal_id=deal.pk, data={"stage_id": stage("Proposal & quote").pk}
    )
    assert StageChange.objects.filter(deal=deal, from_stage__isnull=False).count() == 1
    with pytest.raises(ValidationFailed):
        services.deal_update(
            actor=org.owner, deal_id=deal.pk, data={"stage_id": stage("Negotiation & signing").pk}
        )


def test_reopen_roles(org):
    ops = UserFactory(role_code="ops", team=org.team_a)
    deal = DealFactory(owner=org.owner)
    services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=stage("Lost").pk, lost_reason="x")
    with pytest.raises(PermissionDenied):
        services.deal_move(actor=ops, deal_id=deal.pk, stage_id=stage("Discovery").pk)
    reopened = services.deal_move(
        actor=org.manager, deal_id=deal.pk, stage_id=stage("Discovery").pk
    )
    assert (reopened.status, reopened.closed_at) == ("open", None)


def test_moving_to_the_current_stage_changes_nothing(org):
    deal = DealFactory(owner=org.owner)
    services.deal_move(actor=org.owner, deal_id=deal.pk, stage_id=deal.stage_id)
    assert Deal.objects.get(pk=deal.pk).version == 1
    assert not StageChange.objects.filter(deal=deal).exists()


def test_owner_cannot_be_added_as_collaborator(org):
    deal = DealFactory(owner=org.owner)
    with pytest.raises(ValidationFailed):
        services.collaborator_add(actor=org.owner, deal_id=deal.pk, user_id=org.owner.pk)


def test_weighted_amount(org):
    deal = DealFactory(owner=org.owner, amount=333, stage=stage("Proposal & quote"))
    assert str(deal.weighted_amount) == "166.50"
    assert DealFactory(owner=org.owner, amount=None).weighted_amount is None
