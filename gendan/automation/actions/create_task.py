"""create_task: a task for someone about the record, due some hours from now."""

from datetime import timedelta

from django.utils.translation import gettext as _

from gendan.activities.timeline import subject_type_of
from gendan.automation import records
from gendan.automation.actions.base import ActionFailed, RunContext, subject_of, user_ref
from gendan.followups import services as followup_services
from gendan.org.system import system_actor


def _plan(ctx: RunContext, action: dict) -> dict:
    assignee = records.person(ctx.record, action.get("assignee", "owner"))
    hours = action.get("due_in_hours")
    return {
        "title": records.render(action["title"], ctx.record)[:200],
        "description": records.render(action.get("description") or "", ctx.record),
        "assignee": assignee,
        "due_at": ctx.now + timedelta(hours=hours) if hours is not None else None,
        "priority": action.get("priority", "normal"),
    }


def preview(ctx: RunContext, action: dict) -> dict:
    plan = _plan(ctx, action)
    return {
        **plan,
        "assignee": user_ref(plan["assignee"]),
        "due_at": plan["due_at"].isoformat() if plan["due_at"] else None,
    }


def run(ctx: RunContext, action: dict) -> dict:
    plan = _plan(ctx, action)
    assignee = plan.pop("assignee")
    if assignee is None:
        raise ActionFailed(_("There is nobody to give the task to."))
    subject = subject_of(ctx.record)
    if subject is not None:
        plan.update(subject_type=subject_type_of(subject), subject_id=subject.pk)
    # Made by the system, the task counts as its assignee's own; the service records it on
    # the subject's timeline and tells the assignee.
    task = followup_services.task_create(
        actor=system_actor(), data={**plan, "assignee_id": assignee.pk}
    )
    return {"task_id": task.pk, "title": task.title, "assignee": user_ref(assignee)}
