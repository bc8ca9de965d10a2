"""Writes for targets (业绩目标): set by sales managers (within their team scope) and admins."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gendan.analytics.choices import TargetPeriod
from gendan.analytics.models import Target
from gendan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.org.choices import Scope
from gendan.org.models import Team
from gendan.org.permissions import can
from gendan.org.scoping import check_assignable, effective_scope, team_ids

QUARTER_MONTHS = {1, 4, 7, 10}


def require_target_setter(actor) -> None:
    if not can(actor, "set_targets"):
        raise PermissionDenied(_("Only a sales manager or an administrator can set targets."))


def _check(actor, data: dict) -> None:
    """The whole target as it would be saved; raises 422 with a message per field."""
    errors = {}
    user_id, team_id = data.get("user_id"), data.get("team_id")
    if (user_id is None) == (team_id is None):
        errors["user_id"] = _("Give either a user or a team, not both.")
    elif user_id is not None:
        try:
            check_assignable(actor, user_id, field="user_id")
        except ValidationFailed as exc:
            errors.update(exc.errors)
    elif not Team.objects.filter(pk=team_id).exists() or (
        effective_scope(actor) != Scope.ALL and team_id not in team_ids(actor)
    ):
        errors["team_id"] = _("This team does not exist or is outside your scope.")
    start, period = data.get("start"), data.get("period")
    if start is not None and period is not None:
        aligned = start.day == 1 and (
            period == TargetPeriod.MONTH
            or (period == TargetPeriod.QUARTER and start.month in QUARTER_MONTHS)
            or (period == TargetPeriod.YEAR and start.month == 1)
        )
        if not aligned:
            errors["start"] = _("A target starts on the first day of its month, quarter or year.")
    if data.get("value") is not None and data["value"] < 0:
        errors["value"] = _("Must be 0 or more.")
    if errors:
        raise ValidationFailed(errors=errors)


def _duplicate_check(data: dict, *, exclude_pk: int | None = None) -> None:
    owner = {"user_id": data["user_id"]} if data.get("user_id") else {"team_id": data["team_id"]}
    qs = Target.objects.filter(
        **owner, period=data["period"], start=data["start"], metric=data["metric"]
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise Conflict(_("There is already a target for this metric and period."))


@transaction.atomic
def target_create(*, actor, data: dict) -> Target:
    require_target_setter(actor)
    data = {"user_id": None, "team_id": None, **data}
    _check(actor, data)
    _duplicate_check(data)
    try:
        with transaction.atomic():
            return Target.objects.create(**data)
    except IntegrityError as exc:  # a concurrent create of the same target
        raise Conflict(_("There is already a target for this metric and period.")) from exc


def target_visible(*, actor, target_id: int) -> Target:
    target = Target.objects.visible_to(actor).filter(pk=target_id).first()
    if target is None:
        raise NotFound()
    return target


@transaction.atomic
def target_update(*, actor, target_id: int, data: dict, version: int | None = None) -> Target:
    target_visible(actor=actor, target_id=target_id)
    require_target_setter(actor)
    target = lock_for_update(Target.objects.all(), target_id, expected_version=version)
    merged = {
        "user_id": target.user_id,
        "team_id": target.team_id,
        "period": target.period,
        "start": target.start,
        "metric": target.metric,
        "value": target.value,
        **data,
    }
    if "user_id" in data and data["user_id"] is not None and "team_id" not in data:
        merged["team_id"] = None
    if "team_id" in data and data["team_id"] is not None and "user_id" not in data:
        merged["user_id"] = None
    _check(actor, merged)
    _duplicate_check(merged, exclude_pk=target.pk)
    changes = apply_changes(
        target, {k: merged[k] for k in ("user_id", "team_id", "period", "start", "metric", "value")}
    )
    save_changes(target, changes)
    return target


@transaction.atomic
def target_delete(*, actor, target_id: int) -> None:
    target = target_visible(actor=actor, target_id=target_id)
    require_target_setter(actor)
    target.delete()
