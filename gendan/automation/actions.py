"""What a rule does. Each action has `run(ctx, action)` (writes, answers what it did) and
`preview(ctx, action)` (what it would do, writing nothing: `POST /rules/{id}/test`).

Actions act as the system: they write directly, leave timeline events without an actor, and
notify people through `gendan.activities.notifications.notify`.
"""

import hashlib
import hmac
import json
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.utils.translation import gettext as _

from gendan.activities.choices import EventKind, NotificationKind, SubjectType
from gendan.activities.notifications import notify, notify_assigned
from gendan.activities.timeline import event_record
from gendan.automation import records
from gendan.automation.choices import RuleObject
from gendan.automation.models import Rule
from gendan.deals.models import Deal
from gendan.deals.totals import deals_changed
from gendan.leads.models import Lead
from gendan.org.models import User
from gendan.org.scoping import team_subtree_ids


class ActionFailed(Exception):
    """An action could not be done (nobody to assign to, a webhook answered 500, ...)."""


@dataclass
class RunContext:
    rule: Rule
    record: object
    now: datetime
    event: dict = field(default_factory=dict)

    @property
    def obj(self) -> str:
        return self.rule.object


def _user_ref(user) -> dict | None:
    return {"id": user.pk, "name": user.name} if user is not None else None


def _subject(record):
    """The timeline subject of a record (a payment plan's contract), or None (a task)."""
    obj = records.object_of(record)
    if obj == RuleObject.PAYMENT_PLAN:
        return record.contract
    return record if obj in SubjectType.values else None


def _rule_data(ctx: RunContext, **extra) -> dict:
    return {"rule_id": ctx.rule.pk, "rule": ctx.rule.name, **extra}


# assign -------------------------------------------------------------------------------------


def _assign_people(ctx: RunContext, action: dict) -> list[User]:
    """The active users the action may assign to, by id."""
    if action.get("user_id") is not None:
        return list(User.objects.filter(pk=action["user_id"], is_active=True))
    qs = User.objects.filter(is_active=True)
    if action.get("role"):
        qs = qs.filter(role__code=action["role"])
    team = action.get("team_id")
    if team == "owner_team":
        owner = records.owner_of(ctx.record)
        team = owner.team_id if owner is not None else None
        if team is None:
            return []
    if team is not None:
        qs = qs.filter(team_id__in=team_subtree_ids(team))
    return list(qs.order_by("id"))


def _open_leads(user_ids: list[int]):
    from gendan.leads.pool import OPEN_STATUSES

    # Answered from the (owner, in_pool, status) index alone.
    return Lead.objects.filter(owner_id__in=user_ids, in_pool=False, status__in=OPEN_STATUSES)


def _has_room(user: User, open_leads: int) -> bool:
    limit = (
        user.max_open_leads if user.max_open_leads is not None else settings.GENDAN_MAX_OPEN_LEADS
    )
    return open_leads < limit


def _assign_candidates(ctx: RunContext, action: dict) -> list[User]:
    """Everyone who may take one more lead, each with `open_leads`."""
    users = _assign_people(ctx, action)
    if not users:
        return []
    counts = dict(
        _open_leads([u.pk for u in users])
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    for user in users:
        user.open_leads = counts.get(user.pk, 0)
    return [u for u in users if _has_room(u, u.open_leads)]


def _assign_pick(ctx: RunContext, action: dict) -> User | None:
    if action.get("user_id") is not None or action.get("strategy") == "least_loaded":
        users = _assign_candidates(ctx, action)
        if not users:
            return None
        if action.get("user_id") is not None:
            return users[0]
        return min(users, key=lambda u: (u.open_leads, u.pk))
    # Round robin: the next person after the last one given a lead who has room, counting
    # one person's open leads at a time (most often the first one asked has room).
    users = _assign_people(ctx, action)
    last = (ctx.rule.state or {}).get("last_user_id") or 0
    for user in [u for u in users if u.pk > last] + [u for u in users if u.pk <= last]:
        user.open_leads = _open_leads([user.pk]).count()
        if _has_room(user, user.open_leads):
            return user
    return None


def assign_preview(ctx: RunContext, action: dict) -> dict:
    user = _assign_pick(ctx, action)
    return {"assign_to": _user_ref(user), "available": user is not None}


def assign_run(ctx: RunContext, action: dict) -> dict:
    # The round robin's position is shared by every worker: read and move it under a lock.
    rule = Rule.objects.select_for_update().get(pk=ctx.rule.pk)
    ctx.rule.state = rule.state
    user = _assign_pick(ctx, action)
    if user is None:
        raise ActionFailed(_("Nobody is available: every candidate is at capacity or inactive."))
    if action.get("user_id") is None:
        Rule.objects.filter(pk=rule.pk).update(
            state={**(rule.state or {}), "last_user_id": user.pk}
        )
    record = ctx.record
    field_name = "assignee_id" if ctx.obj == RuleObject.TASK else "owner_id"
    old = getattr(record, field_name)
    if old == user.pk:
        return {"assigned_to": _user_ref(user), "changed": False}
    type(record).objects.filter(pk=record.pk).update(
        **{field_name: user.pk}, version=record.version + 1, updated_at=ctx.now
    )
    _saved(record)
    setattr(record, field_name, user.pk)
    setattr(record, field_name.removesuffix("_id"), user)
    record.version += 1
    subject = _subject(record)
    if subject is record:
        event_record(
            record,
            EventKind.OWNER_CHANGED,
            data={"field": field_name, "from": old, "to": user.pk, **_rule_data(ctx)},
        )
    kind = NotificationKind.TASK_ASSIGNED if ctx.obj == RuleObject.TASK else None
    notify_assigned(record, actor=None, kind=kind, user=user, data=_rule_data(ctx))
    return {"assigned_to": _user_ref(user), "changed": True}


# create_task --------------------------------------------------------------------------------


def _task_plan(ctx: RunContext, action: dict) -> dict:
    assignee = records.person(ctx.record, action.get("assignee", "owner"))
    hours = action.get("due_in_hours")
    return {
        "title": records.render(action["title"], ctx.record)[:200],
        "description": records.render(action.get("description") or "", ctx.record),
        "assignee": assignee,
        "due_at": ctx.now + timedelta(hours=hours) if hours is not None else None,
        "priority": action.get("priority", "normal"),
    }


def create_task_preview(ctx: RunContext, action: dict) -> dict:
    plan = _task_plan(ctx, action)
    return {
        **plan,
        "assignee": _user_ref(plan["assignee"]),
        "due_at": plan["due_at"].isoformat() if plan["due_at"] else None,
    }


def create_task_run(ctx: RunContext, action: dict) -> dict:
    from gendan.activities.models import Task
    from gendan.activities.timeline import subject_fields

    plan = _task_plan(ctx, action)
    assignee = plan.pop("assignee")
    if assignee is None:
        raise ActionFailed(_("There is nobody to give the task to."))
    subject = _subject(ctx.record)
    task = Task.objects.create(
        assignee=assignee,
        created_by=assignee,  # a task made by a rule counts as the assignee's own
        **(subject_fields(subject) if subject is not None else {}),
        **plan,
    )
    if subject is not None:
        event_record(
            subject,
            EventKind.TASK_CREATED,
            task=task,
            data={"title": task.title, **_rule_data(ctx)},
        )
    notify_assigned(
        task,
        actor=None,
        kind=NotificationKind.TASK_ASSIGNED,
        user=assignee,
        message=task.title,
        data={
            "due_at": task.due_at.isoformat() if task.due_at else None,
            "subject_type": task.subject_type,
            "subject_id": task.subject_id,
            **_rule_data(ctx),
        },
    )
    return {"task_id": task.pk, "title": task.title, "assignee": _user_ref(assignee)}


# notify / escalate --------------------------------------------------------------------------


def _recipients(ctx: RunContext, to) -> list[User]:
    people = []
    for ref in to if isinstance(to, list) else [to]:
        if ref == "team":
            owner = records.owner_of(ctx.record)
            if owner is not None and owner.team_id:
                people.extend(User.objects.filter(team_id=owner.team_id, is_active=True))
        else:
            people.append(records.person(ctx.record, ref))
    seen, unique = set(), []
    for user in people:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            unique.append(user)
    return unique


def _send(ctx: RunContext, recipients, message: str, channels, **data) -> list:
    target = ctx.record if ctx.obj != RuleObject.PAYMENT_PLAN else ctx.record.contract
    created = notify(
        recipients=recipients,
        kind=NotificationKind.RULE,
        actor=None,
        message=message,
        target=target,
        data=_rule_data(ctx, object=ctx.obj, object_id=ctx.record.pk, **data),
    )
    extra = [c for c in channels or [] if c != "in_app"]
    if extra and created:
        from django.db import transaction

        from gendan.automation import channels as channel_delivery

        for notification in created:
            transaction.on_commit(
                lambda n=notification: channel_delivery.deliver(n, extra), robust=True
            )
    return created


def notify_preview(ctx: RunContext, action: dict) -> dict:
    return {
        "to": [_user_ref(u) for u in _recipients(ctx, action["to"])],
        "message": records.render(action["message"], ctx.record),
        "channels": ["in_app", *[c for c in action.get("channels") or [] if c != "in_app"]],
    }


def notify_run(ctx: RunContext, action: dict) -> dict:
    recipients = _recipients(ctx, action["to"])
    message = records.render(action["message"], ctx.record)
    created = _send(ctx, recipients, message, action.get("channels"))
    return {"notified": [n.recipient_id for n in created], "message": message}


def _escalation_message(ctx: RunContext, action: dict) -> str:
    source = action.get("message") or _("Escalated: {{ record }} needs your attention.")
    return records.render(source, ctx.record)


def escalate_preview(ctx: RunContext, action: dict) -> dict:
    manager = records.person(ctx.record, "manager")
    return {
        "manager": _user_ref(manager),
        "message": _escalation_message(ctx, action),
        "add_collaborator": ctx.obj == RuleObject.DEAL,
    }


def escalate_run(ctx: RunContext, action: dict) -> dict:
    manager = records.person(ctx.record, "manager")
    if manager is None:
        raise ActionFailed(_("The owner has no manager to escalate to."))
    added = False
    if ctx.obj == RuleObject.DEAL:
        added = _collaborator_add(ctx, manager, role="sm")
        if not added and manager.pk != ctx.record.owner_id:
            # Already escalated (the manager is on the deal): do not repeat the alarm.
            return {"manager": _user_ref(manager), "already_escalated": True}
    message = _escalation_message(ctx, action)
    created = _send(ctx, [manager], message, action.get("channels"), escalated=True)
    return {
        "manager": _user_ref(manager),
        "collaborator_added": added,
        "notified": [n.recipient_id for n in created],
    }


# add_collaborator ---------------------------------------------------------------------------


def _collaborator_add(ctx: RunContext, user: User, *, role: str) -> bool:
    """The same effects as `deals.services.collaborator_add`, done by the system."""
    from gendan.deals.models import DealCollaborator

    deal = ctx.record
    if user.pk == deal.owner_id:
        return False
    _row, created = DealCollaborator.objects.get_or_create(
        deal=deal, user=user, defaults={"role": role}
    )
    if created:
        event_record(
            deal,
            EventKind.COLLABORATOR_ADDED,
            data={"user_id": user.pk, "role": role, **_rule_data(ctx)},
        )
        notify_assigned(
            deal,
            actor=None,
            kind=NotificationKind.COLLABORATOR_ADDED,
            user=user,
            data={"role": role, **_rule_data(ctx)},
        )
    return created


def add_collaborator_preview(ctx: RunContext, action: dict) -> dict:
    return {"user": _user_ref(records.person(ctx.record, action.get("user", "manager")))}


def add_collaborator_run(ctx: RunContext, action: dict) -> dict:
    user = records.person(ctx.record, action.get("user", "manager"))
    if user is None:
        raise ActionFailed(_("There is nobody to add."))
    added = _collaborator_add(ctx, user, role=action.get("role", "other"))
    return {"user": _user_ref(user), "added": added}


# set_field ----------------------------------------------------------------------------------


def set_field_preview(ctx: RunContext, action: dict) -> dict:
    field_name, value = action["field"], action["value"]
    return {
        "field": field_name,
        "from": records.jsonable(getattr(ctx.record, field_name)),
        "to": value if field_name != "tags" else [*ctx.record.tags, value],
    }


def set_field_run(ctx: RunContext, action: dict) -> dict:
    record, field_name, value = ctx.record, action["field"], action["value"]
    if field_name == "risk_level" and value == "recompute":
        from gendan.automation import risk

        if ctx.obj == RuleObject.DEAL:
            level, reasons = risk.deal_risk_recompute(deal_id=record.pk)
        else:
            level, reasons = risk.customer_risk_recompute(customer_id=record.pk)
        record.refresh_from_db(fields=["risk_level", "risk_reasons", "version"])
        return {"field": field_name, "to": level, "reasons": reasons}
    old = getattr(record, field_name)
    if field_name == "tags":
        tag = value.strip()[:40]
        if tag in (old or []):
            return {"field": field_name, "changed": False}
        value = [*(old or []), tag]
    if old == value:
        return {"field": field_name, "changed": False}
    updates = {field_name: value, "version": record.version + 1, "updated_at": ctx.now}
    if ctx.obj == RuleObject.TASK and field_name == "status":
        updates["done_at"] = ctx.now if value == "done" else None
    type(record).objects.filter(pk=record.pk).update(**updates)
    _saved(record)
    for key, val in updates.items():
        setattr(record, key, val)
    if _subject(record) is record:
        kind = EventKind.STATUS_CHANGED if field_name == "status" else EventKind.UPDATED
        data = (
            {"field": field_name, "from": old, "to": value}
            if field_name == "status"
            else {"fields": {field_name: {"from": old, "to": value}}}
        )
        event_record(record, kind, data={**data, **_rule_data(ctx)})
    return {"field": field_name, "from": records.jsonable(old), "to": records.jsonable(value)}


# move_to_pool -------------------------------------------------------------------------------


def _pool_reason(ctx: RunContext, action: dict) -> str:
    if action.get("reason"):
        return records.render(action["reason"], ctx.record)
    return _("Rule: %(rule)s") % {"rule": ctx.rule.name}


def move_to_pool_preview(ctx: RunContext, action: dict) -> dict:
    return {"in_pool": ctx.record.in_pool, "reason": _pool_reason(ctx, action)}


def move_to_pool_run(ctx: RunContext, action: dict) -> dict:
    from gendan.leads import pool

    if ctx.record.in_pool:
        return {"in_pool": True, "changed": False}
    reason = _pool_reason(ctx, action)
    pool.lead_move_to_pool(actor=None, lead_id=ctx.record.pk, reason=reason)
    ctx.record.in_pool = True
    return {"in_pool": True, "changed": True, "reason": reason}


# webhook ------------------------------------------------------------------------------------


def webhook_body(ctx: RunContext) -> bytes:
    body = {
        "rule": {"id": ctx.rule.pk, "name": ctx.rule.name},
        "object": ctx.obj,
        "record": records.record_data(ctx.record),
        "event": {**ctx.event, "at": ctx.now.isoformat()},
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_preview(ctx: RunContext, action: dict) -> dict:
    return {"url": action["url"], "body": json.loads(webhook_body(ctx))}


def webhook_run(ctx: RunContext, action: dict) -> dict:
    body = webhook_body(ctx)
    request = urllib.request.Request(
        action["url"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Gendan",
            "X-Gendan-Signature": signature(body, action.get("secret") or ""),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=action.get("timeout", 5)) as response:
            status = response.status
    except Exception as exc:  # HTTP errors, refused connections, timeouts
        raise ActionFailed(_("The webhook failed: %(error)s") % {"error": exc}) from exc
    return {"url": action["url"], "status": status}


# create_deal --------------------------------------------------------------------------------


def _deal_plan(ctx: RunContext, action: dict) -> dict:
    customer = records.customer_of(ctx.record)
    owner = records.person(ctx.record, action.get("owner", "customer_owner"))
    amount = getattr(ctx.record, "amount", None) if action.get("copy_amount") else None
    return {
        "name": records.render(action["name"], ctx.record)[:200],
        "customer": customer,
        "owner": owner,
        "amount": amount,
        "currency": getattr(ctx.record, "currency", "CNY"),
    }


def create_deal_preview(ctx: RunContext, action: dict) -> dict:
    plan = _deal_plan(ctx, action)
    return {
        **plan,
        "customer": plan["customer"].pk if plan["customer"] else None,
        "owner": _user_ref(plan["owner"]),
        "amount": records.jsonable(plan["amount"]),
    }


def create_deal_run(ctx: RunContext, action: dict) -> dict:
    """A new deal in the default pipeline's first open stage (e.g. a renewal)."""
    from gendan.activities.models import TimelineEvent
    from gendan.activities.timeline import event_build
    from gendan.deals.choices import StageKind
    from gendan.deals.models import Deal, Pipeline, StageChange

    plan = _deal_plan(ctx, action)
    if plan["owner"] is None or plan["customer"] is None:
        raise ActionFailed(_("The new deal needs a customer and an owner."))
    pipeline = Pipeline.objects.filter(is_default=True).first()
    stage = (
        pipeline.stages.filter(kind=StageKind.OPEN).order_by("order", "id").first()
        if pipeline
        else None
    )
    if stage is None:
        raise ActionFailed(_("There is no default pipeline with an open stage."))
    deal = Deal.objects.create(pipeline=pipeline, stage=stage, stage_entered_at=ctx.now, **plan)
    deals_changed()
    StageChange.objects.create(deal=deal, to_stage=stage, changed_at=ctx.now)
    TimelineEvent.objects.bulk_create(
        [
            event_build(
                deal, EventKind.CREATED, at=ctx.now, data={"stage": stage.name, **_rule_data(ctx)}
            ),
            event_build(
                deal.customer,
                EventKind.DEAL_CREATED,
                at=ctx.now,
                data={"deal_id": deal.pk, "name": deal.name},
            ),
        ]
    )
    notify_assigned(deal, actor=None, data=_rule_data(ctx))
    return {"deal_id": deal.pk, "name": deal.name, "owner": _user_ref(plan["owner"])}


def get(kind: str):
    """(run, preview) for an action type."""
    names = globals()
    return names[f"{kind}_run"], names[f"{kind}_preview"]


def _saved(record) -> None:
    """What a save would have told the rest of the app, for a row written with `update()`."""
    if isinstance(record, Deal):
        deals_changed()
