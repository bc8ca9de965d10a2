"""Writes for pipelines, stages and deals. A deal changes stage only through `deal_move`."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind, NotificationKind
from gendan.activities.models import TimelineEvent
from gendan.activities.notifications import notify, notify_assigned
from gendan.activities.timeline import changes_record, event_build, event_record
from gendan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gendan.core.events import emit
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.customers.models import Contact, Customer
from gendan.deals import rules
from gendan.deals.choices import DealStatus, StageKind
from gendan.deals.defaults import DEFAULT_PIPELINE, DEFAULT_STAGES
from gendan.deals.models import (
    Deal,
    DealChecklistTick,
    DealCollaborator,
    Pipeline,
    Stage,
    StageChange,
)
from gendan.deals.totals import deals_changed
from gendan.fields import values as custom_values
from gendan.fields.choices import RecordType
from gendan.history import writes as history
from gendan.leads.models import Lead
from gendan.org.models import User
from gendan.org.permissions import can
from gendan.org.scoping import check_assignable
from gendan.org.services import require_admin
from gendan.org.system import recorded_actor

DEAL_TRACKED = (
    "name",
    "expected_close_date",
    "contact_id",
    "customer_id",
    "risk_level",
    "currency",
)


# Pipelines and stages -----------------------------------------------------------------------


def _check_pipeline_stages(pipeline: Pipeline) -> None:
    kinds = set(pipeline.stages.values_list("kind", flat=True))
    missing = {StageKind.OPEN, StageKind.WON, StageKind.LOST} - kinds
    if missing:
        raise ValidationFailed(
            errors={"stages": _("A pipeline needs at least one open, one won and one lost stage.")}
        )


@transaction.atomic
def pipeline_create(*, actor, data: dict) -> Pipeline:
    require_admin(actor)
    data = dict(data)
    stages = data.pop("stages", None) or [dict(s) for s in DEFAULT_STAGES]
    stages = [rules.check_stage_data(stage) for stage in stages]
    if data.get("is_default"):
        Pipeline.objects.filter(is_default=True).update(is_default=False)
    pipeline = Pipeline.objects.create(**data)
    Stage.objects.bulk_create(
        Stage(pipeline=pipeline, **{"order": (i + 1) * 10, **stage})
        for i, stage in enumerate(stages)
    )
    _check_pipeline_stages(pipeline)
    return pipeline


def pipeline_create_default() -> Pipeline:
    """The shipped template; used by the first migration's data and by tests."""
    pipeline = Pipeline.objects.create(is_default=True, **DEFAULT_PIPELINE)
    Stage.objects.bulk_create(
        Stage(pipeline=pipeline, **{**stage, "key_actions": rules.normalized(stage["key_actions"])})
        for stage in DEFAULT_STAGES
    )
    return pipeline


@transaction.atomic
def pipeline_update(*, actor, pipeline_id: int, data: dict, version: int | None = None) -> Pipeline:
    require_admin(actor)
    pipeline = lock_for_update(Pipeline.objects.all(), pipeline_id, expected_version=version)
    if data.get("is_default"):
        Pipeline.objects.filter(is_default=True).exclude(pk=pipeline.pk).update(is_default=False)
    save_changes(pipeline, apply_changes(pipeline, data))
    return pipeline


@transaction.atomic
def pipeline_delete(*, actor, pipeline_id: int) -> None:
    require_admin(actor)
    pipeline = Pipeline.objects.filter(pk=pipeline_id).first()
    if pipeline is None:
        raise NotFound()
    if pipeline.deals.exists():
        raise Conflict(_("A pipeline that still has deals cannot be deleted."))
    if pipeline.is_default:
        raise Conflict(_("The default pipeline cannot be deleted."))
    pipeline.delete()


@transaction.atomic
def stage_create(*, actor, pipeline_id: int, data: dict) -> Stage:
    require_admin(actor)
    pipeline = Pipeline.objects.filter(pk=pipeline_id).first()
    if pipeline is None:
        raise NotFound()
    data = rules.check_stage_data(data)
    if data.get("order") is None:
        data["order"] = (pipeline.stages.aggregate(m=Max("order"))["m"] or 0) + 10
    return Stage.objects.create(pipeline=pipeline, **data)


@transaction.atomic
def stage_update(*, actor, stage_id: int, data: dict, version: int | None = None) -> Stage:
    require_admin(actor)
    stage = lock_for_update(Stage.objects.all(), stage_id, expected_version=version)
    data = rules.check_stage_data(data, stage)
    if "kind" in data and data["kind"] != stage.kind and stage.deals.exists():
        raise Conflict(_("The kind of a stage that has deals cannot change."))
    kept = {item["id"] for item in rules.normalized(stage.key_actions)}
    save_changes(stage, apply_changes(stage, data))
    if "key_actions" in data:
        # The ticks of removed items go with them (their ids may be given again).
        removed = kept - {item["id"] for item in stage.key_actions}
        if removed:
            DealChecklistTick.objects.filter(stage=stage, item_id__in=removed).delete()
    _check_pipeline_stages(stage.pipeline)
    return stage


@transaction.atomic
def stage_delete(*, actor, stage_id: int) -> None:
    require_admin(actor)
    stage = Stage.objects.filter(pk=stage_id).first()
    if stage is None:
        raise NotFound()
    if stage.deals.exists():
        raise Conflict(_("A stage that still has deals cannot be deleted; move them first."))
    if (
        StageChange.objects.filter(to_stage=stage).exists()
        or StageChange.objects.filter(from_stage=stage).exists()
    ):
        raise Conflict(_("A stage that appears in deals' history cannot be deleted."))
    pipeline = stage.pipeline
    stage.delete()
    _check_pipeline_stages(pipeline)


# Deals --------------------------------------------------------------------------------------


missing_required_fields = rules.missing_required_fields
_required_error = rules.required_error


def _check_deal_refs(actor, data: dict, *, customer_id: int | None) -> None:
    errors = {}
    if "customer_id" in data and not (
        Customer.objects.visible_to(actor).filter(pk=data["customer_id"]).exists()
    ):
        errors["customer_id"] = _("No such customer.")
    if (
        data.get("contact_id") is not None
        and not Contact.objects.filter(
            pk=data["contact_id"], customer_id=data.get("customer_id", customer_id)
        ).exists()
    ):
        errors["contact_id"] = _("This contact does not belong to the deal's customer.")
    if data.get("lead_id") is not None and not (
        Lead.objects.visible_to(actor).filter(pk=data["lead_id"]).exists()
    ):
        errors["lead_id"] = _("No such lead.")
    if errors:
        raise ValidationFailed(errors=errors)


def _check_collaborators(collaborators: list[dict]) -> None:
    ids = [c["user_id"] for c in collaborators]
    found = set(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    if set(ids) - found or len(ids) != len(set(ids)):
        raise ValidationFailed(
            errors={"collaborators": _("Each collaborator must be a distinct, active user.")}
        )


def _close_fields(stage: Stage, now) -> dict:
    status = {
        StageKind.OPEN: DealStatus.OPEN,
        StageKind.WON: DealStatus.WON,
        StageKind.LOST: DealStatus.LOST,
    }[stage.kind]
    return {"status": status, "closed_at": None if status == DealStatus.OPEN else now}


def _pipeline_and_stage(data: dict) -> tuple[Pipeline, Stage]:
    """The pipeline (the default one unless named) and the stage (its first open one unless
    named) a new deal starts in; a lost stage needs a reason."""
    pipeline_id = data.get("pipeline_id")
    pipeline = (
        Pipeline.objects.filter(pk=pipeline_id, is_active=True).first()
        if pipeline_id
        else Pipeline.objects.filter(is_default=True).first()
    )
    if pipeline is None:
        raise ValidationFailed(errors={"pipeline_id": _("No such active pipeline.")})
    stage_id = data.get("stage_id")
    stages = pipeline.stages.all()
    stage = (
        stages.filter(pk=stage_id).first()
        if stage_id
        else stages.filter(kind=StageKind.OPEN).order_by("order", "id").first()
    )
    if stage is None:
        raise ValidationFailed(errors={"stage_id": _("This stage is not in the pipeline.")})
    if stage.kind == StageKind.LOST and not data.get("lost_reason"):
        raise ValidationFailed(errors={"lost_reason": _("Say why the deal was lost.")})
    return pipeline, stage


def _deal_created(deal: Deal, collaborators: list[dict], *, actor, at) -> None:
    """The history, the timeline and the notices of a new deal."""
    StageChange.objects.create(
        deal=deal, to_stage=deal.stage, changed_at=at, changed_by=recorded_actor(actor)
    )
    TimelineEvent.objects.bulk_create(
        [
            event_build(
                deal, EventKind.CREATED, actor=actor, at=at, data={"stage": deal.stage.name}
            ),
            event_build(
                deal.customer,
                EventKind.DEAL_CREATED,
                actor=actor,
                at=at,
                data={"deal_id": deal.pk, "name": deal.name},
            ),
        ]
    )
    notify_assigned(deal, actor=actor)
    if collaborators:
        notify(
            recipients=User.objects.filter(pk__in=[c["user_id"] for c in collaborators]),
            kind=NotificationKind.COLLABORATOR_ADDED,
            actor=actor,
            message=deal.name,
            target=deal,
        )


@transaction.atomic
def deal_create(*, actor, data: dict) -> Deal:
    data = dict(data)
    collaborators = data.pop("collaborators", None) or []
    data["owner_id"] = data.get("owner_id") or actor.pk
    check_assignable(actor, data["owner_id"])
    _check_deal_refs(actor, data, customer_id=data.get("customer_id"))
    _check_collaborators(collaborators)
    custom_values.on_create(RecordType.DEAL, data, actor=actor)
    pipeline, stage = _pipeline_and_stage(data)
    now = timezone.now()
    data.update(pipeline=pipeline, stage=stage, stage_entered_at=now, **_close_fields(stage, now))
    data.pop("pipeline_id", None)
    data.pop("stage_id", None)
    deal = Deal(**data)
    missing = missing_required_fields(deal, stage, collaborator_count=len(collaborators))
    if missing:
        raise _required_error(missing, stage)
    deal.save()
    DealCollaborator.objects.bulk_create(
        DealCollaborator(deal=deal, user_id=c["user_id"], role=c.get("role") or "other")
        for c in collaborators
    )
    deals_changed()
    _deal_created(deal, collaborators, actor=actor, at=now)
    emit(deal, "created")
    return deal


def deal_visible(*, actor, deal_id: int) -> Deal:
    if not Deal.objects.visible_to(actor).filter(pk=deal_id).exists():
        raise NotFound()
    return Deal.objects.select_related("stage").get(pk=deal_id)


@transaction.atomic
def deal_update(*, actor, deal_id: int, data: dict, version: int | None = None) -> Deal:
    scoped = Deal.objects.visible_to(actor).select_related("stage")
    deal = lock_for_update(scoped, deal_id, expected_version=version)
    data = dict(data)
    custom_values.on_update(RecordType.DEAL, deal, data, actor=actor)
    stage_id = data.pop("stage_id", None)
    lost_reason = data.pop("lost_reason", None)
    if "owner_id" in data:
        if data["owner_id"] is None:
            raise ValidationFailed(errors={"owner_id": _("A deal must have an owner.")})
        check_assignable(actor, data["owner_id"])
    if "customer_id" in data and data["customer_id"] is None:
        raise ValidationFailed(errors={"customer_id": _("A deal must have a customer.")})
    if "contact_id" in data or "customer_id" in data:
        refs = {**data}
        if "contact_id" not in refs and deal.contact_id:
            refs["contact_id"] = deal.contact_id
        _check_deal_refs(actor, refs, customer_id=deal.customer_id)
    changes = apply_changes(deal, data)
    # The fields the current stage requires cannot be emptied while the deal is in it.
    missing = rules.emptied_required_fields(deal, changes)
    if missing:
        raise _required_error(missing, deal.stage)
    save_changes(deal, changes)
    deals_changed()
    changes_record(deal, changes, actor=actor, tracked=DEAL_TRACKED)
    emit(deal, "updated", changed=list(changes))
    if "owner_id" in changes:
        notify_assigned(deal, actor=actor)
    if stage_id is not None and stage_id != deal.stage_id:
        deal = _move(actor=actor, deal=deal, stage_id=stage_id, lost_reason=lost_reason)
    return deal


def _check_move(actor, deal: Deal, stage: Stage, lost_reason: str | None) -> str:
    """Refuse a move the actor may not make or the target stage does not allow; the lost
    reason, cleaned (a lost stage asks for one)."""
    if deal.status != DealStatus.OPEN and not can(actor, "reopen_deal"):
        raise PermissionDenied(
            _("Only a sales manager or an administrator can reopen a closed deal.")
        )
    missing = missing_required_fields(deal, stage)
    unticked = rules.missing_checklist(deal, stage)
    errors = {}
    if stage.kind == StageKind.LOST:
        lost_reason = (lost_reason or "").strip()
        if not lost_reason:
            errors["lost_reason"] = _("Say why the deal was lost.")
    if missing or unticked:
        exc = _required_error(missing, stage)
        if unticked:
            exc.errors.update(rules.checklist_errors(unticked, deal.stage))
            exc.extra["missing_checklist"] = unticked
            if not missing:
                exc.detail = _("Key actions of the current stage are not ticked yet.")
        exc.errors.update(errors)
        raise exc
    if errors:
        raise ValidationFailed(errors=errors)
    return lost_reason if stage.kind == StageKind.LOST else ""


MOVE_FIELDS = (
    "next_follow_up_at",
    "stage",
    "stage_entered_at",
    "lost_reason",
    "status",
    "closed_at",
    "version",
    "updated_at",
)
# The fields of a move that the deal's history keeps (the stage as its id).
MOVED = ("stage_id", "stage_entered_at", "lost_reason", "status", "closed_at", "next_follow_up_at")


def _move_events(actor, deal: Deal, old_stage: Stage, old_status: str, *, at, seconds: int):
    """The timeline of a move: the stage change, and the status change when there is one."""
    events = [
        event_build(
            deal,
            EventKind.STAGE_CHANGED,
            actor=actor,
            at=at,
            data={
                "from": old_stage.pk,
                "to": deal.stage.pk,
                "from_name": old_stage.name,
                "to_name": deal.stage.name,
                "seconds_in_from": seconds,
            },
        )
    ]
    if old_status != deal.status:
        data = {"field": "status", "from": old_status, "to": deal.status}
        if deal.lost_reason:
            data["lost_reason"] = deal.lost_reason
        events.append(event_build(deal, EventKind.STATUS_CHANGED, actor=actor, at=at, data=data))
    TimelineEvent.objects.bulk_create(events)


def _move(*, actor, deal: Deal, stage_id: int, lost_reason: str | None) -> Deal:
    stage = Stage.objects.filter(pk=stage_id, pipeline_id=deal.pipeline_id).first()
    if stage is None:
        raise ValidationFailed(errors={"stage_id": _("This stage is not in the deal's pipeline.")})
    if stage.pk == deal.stage_id:
        return deal
    lost_reason = _check_move(actor, deal, stage, lost_reason)
    old_stage, old_status = deal.stage, deal.status
    before = {name: getattr(deal, name) for name in MOVED}
    now = timezone.now()
    seconds = max(0, int((now - deal.stage_entered_at).total_seconds()))
    StageChange.objects.create(
        deal=deal,
        from_stage=old_stage,
        to_stage=stage,
        changed_at=now,
        changed_by=recorded_actor(actor),
        seconds_in_from=seconds,
        lost_reason=lost_reason,
    )
    deal.stage, deal.stage_entered_at, deal.lost_reason = stage, now, lost_reason
    for key, value in _close_fields(stage, now).items():
        setattr(deal, key, value)
    if deal.status != DealStatus.OPEN:
        deal.next_follow_up_at = None  # a closed deal has nothing left to follow up
    deal.version += 1
    deal.save(update_fields=list(MOVE_FIELDS))
    history.changes_record(
        deal, {name: (before[name], getattr(deal, name)) for name in MOVED}, actor=actor, at=now
    )
    deals_changed()
    _move_events(actor, deal, old_stage, old_status, at=now, seconds=seconds)
    emit(
        deal, "stage_changed", from_stage_id=old_stage.pk, to_stage_id=stage.pk, to_kind=stage.kind
    )
    return deal


@transaction.atomic
def deal_move(
    *,
    actor,
    deal_id: int,
    stage_id: int,
    lost_reason: str | None = None,
    version: int | None = None,
) -> Deal:
    scoped = Deal.objects.visible_to(actor).select_related("stage")
    deal = lock_for_update(scoped, deal_id, expected_version=version)
    return _move(actor=actor, deal=deal, stage_id=stage_id, lost_reason=lost_reason)


@transaction.atomic
def deal_delete(*, actor, deal_id: int) -> None:
    deal = deal_visible(actor=actor, deal_id=deal_id)
    if deal.contracts.exists():
        raise Conflict(_("A deal with a contract cannot be deleted; it is part of its history."))
    deal.delete()
    deals_changed()


@transaction.atomic
def collaborator_add(*, actor, deal_id: int, user_id: int, role: str = "other") -> DealCollaborator:
    deal = deal_visible(actor=actor, deal_id=deal_id)
    _check_collaborators([{"user_id": user_id}])
    if user_id == deal.owner_id:
        raise ValidationFailed(errors={"user_id": _("The owner is already on the deal.")})
    collaborator, created = DealCollaborator.objects.update_or_create(
        deal=deal, user_id=user_id, defaults={"role": role}
    )
    deals_changed()
    if created:
        event_record(
            deal, EventKind.COLLABORATOR_ADDED, actor=actor, data={"user_id": user_id, "role": role}
        )
        notify_assigned(
            deal,
            actor=actor,
            kind=NotificationKind.COLLABORATOR_ADDED,
            user=collaborator.user,
            data={"role": role},
        )
    return collaborator


@transaction.atomic
def collaborator_remove(*, actor, deal_id: int, user_id: int) -> None:
    deal = deal_visible(actor=actor, deal_id=deal_id)
    deleted, _rows = DealCollaborator.objects.filter(deal=deal, user_id=user_id).delete()
    if not deleted:
        raise NotFound()
    deals_changed()
    event_record(deal, EventKind.COLLABORATOR_REMOVED, actor=actor, data={"user_id": user_id})


def deal_touch(deal: Deal, *, occurred_at, next_follow_up_at, actor=None) -> None:
    """After a follow-up: the last activity, and the next follow-up (which is history)."""
    fields = {}
    if deal.last_activity_at is None or occurred_at > deal.last_activity_at:
        fields["last_activity_at"] = occurred_at
    if next_follow_up_at is not None:
        fields["next_follow_up_at"] = next_follow_up_at
    if fields:
        Deal.objects.filter(pk=deal.pk).update(**fields)
        if "next_follow_up_at" in fields:
            change = (deal.next_follow_up_at, fields["next_follow_up_at"])
            history.changes_record(deal, {"next_follow_up_at": change}, actor=actor)
