"""notify: a message to people (the owner, the manager, the owner's team, users by id), in
the app and on the other channels the action names (e-mail, chat robots)."""

from gendan.activities.choices import NotificationKind
from gendan.activities.notifications import notify
from gendan.automation import channels as channel_delivery
from gendan.automation import records
from gendan.automation.actions.base import RunContext, rule_data, user_ref
from gendan.automation.choices import RuleObject
from gendan.org.models import User


def recipients(ctx: RunContext, to) -> list[User]:
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


def send(ctx: RunContext, people, message: str, channels, **data) -> list:
    """In-app notifications, and each of the other `channels`: named on the notification when
    it is written, so its delivery rows (written with it) carry them out after the commit."""
    target = ctx.record if ctx.obj != RuleObject.PAYMENT_PLAN else ctx.record.contract
    extra = channel_delivery.requestable(channels)
    if extra:
        data["channels"] = extra
    return notify(
        recipients=people,
        kind=NotificationKind.RULE,
        actor=None,
        message=message,
        target=target,
        data=rule_data(ctx, object=ctx.obj, object_id=ctx.record.pk, **data),
    )


def preview(ctx: RunContext, action: dict) -> dict:
    return {
        "to": [user_ref(u) for u in recipients(ctx, action["to"])],
        "message": records.render(action["message"], ctx.record),
        "channels": ["in_app", *[c for c in action.get("channels") or [] if c != "in_app"]],
    }


def run(ctx: RunContext, action: dict) -> dict:
    people = recipients(ctx, action["to"])
    message = records.render(action["message"], ctx.record)
    created = send(ctx, people, message, action.get("channels"))
    return {"notified": [n.recipient_id for n in created], "message": message}
