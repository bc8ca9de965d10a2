"""The history of each record, as the services would have written it: follow-ups, tasks,
stage changes, collaborators and timeline events, buffered by `demo.writer` and written in
bulk."""

from itertools import pairwise

from gendan.activities.choices import EventKind, TaskStatus
from gendan.activities.models import Activity, Task
from gendan.activities.timeline import event_build, subject_fields
from gendan.core.demo.context import Demo
from gendan.core.demo.plans import Act, CustomerPlan, DealPlan, LeadPlan, Todo
from gendan.core.demo.words import OWN_TASKS
from gendan.deals.choices import DealStatus, StageKind
from gendan.deals.models import DealCollaborator, StageChange
from gendan.leads.choices import LeadStatus
from gendan.org.models import User


def event(demo: Demo, subject, kind: str, actor: User, t: float, data=None, **links) -> None:
    """A timeline event on `subject` at planned time `t`."""
    demo.writer.add(event_build(subject, kind, actor=actor, at=demo.at(t), data=data, **links))


def write_acts(demo: Demo, subject, acts: list[Act], contacts: list | None = None) -> None:
    """The follow-ups of a record, each with its timeline event."""
    rng = demo.rng
    for act in acts:
        occurred = demo.at(act.t)
        contact = None
        if contacts:  # the record's own contact mostly, else another one known by then
            known = [c for c in contacts if c.created_at <= occurred] or contacts[:1]
            contact = known[0] if rng.random() < 0.7 else rng.choice(known)
        activity = demo.writer.add(
            Activity(
                **subject_fields(subject),
                contact=contact,
                channel=act.channel,
                outcome=act.outcome,
                summary=act.summary,
                occurred_at=occurred,
                next_follow_up_at=demo.at(act.next_t) if act.next_t is not None else None,
                objection=act.objection,
                requirement_changed=act.changed,
                owner=act.owner,
                created_at=occurred,
                updated_at=occurred,
            )
        )
        data = {"channel": act.channel, "outcome": act.outcome}
        event(demo, subject, EventKind.FOLLOW_UP, act.owner, act.t, data, activity=activity)


def write_todos(demo: Demo, subject, todos: list[Todo]) -> None:
    """Tasks on a record (or on none), with their created / done / cancelled events."""
    for todo in todos:
        done = demo.at(todo.done) if todo.done is not None else None
        task = demo.writer.add(
            Task(
                title=todo.title,
                assignee=todo.assignee,
                created_by=todo.created_by,
                due_at=demo.at(todo.due),
                priority=todo.priority,
                status=todo.status,
                done_at=done if todo.status == TaskStatus.DONE else None,
                **(subject_fields(subject) if subject is not None else {}),
                created_at=demo.at(todo.t),
                updated_at=done or demo.at(todo.t),
                version=1 if done is None else 2,
            )
        )
        if subject is None:
            continue
        data = {"title": todo.title}
        event(demo, subject, EventKind.TASK_CREATED, todo.created_by, todo.t, data, task=task)
        if todo.status != TaskStatus.OPEN:
            kind = (
                EventKind.TASK_DONE if todo.status == TaskStatus.DONE else EventKind.TASK_CANCELLED
            )
            event(demo, subject, kind, todo.assignee, todo.done, data, task=task)


def write_customer(demo: Demo, plan: CustomerPlan) -> None:
    customer = plan.obj
    event(demo, customer, EventKind.CREATED, plan.creator, plan.t)
    for contact, (_person, t) in zip(plan.contact_objs, plan.contacts, strict=True):
        data = {"contact_id": contact.pk, "name": contact.name}
        actor = plan.creator if contact.is_primary else plan.owner
        event(demo, customer, EventKind.CONTACT_ADDED, actor, t, data)
    write_acts(demo, customer, plan.acts, plan.contact_objs)
    demo.writer.flush(force=False)


def write_lead(demo: Demo, plan: LeadPlan) -> None:
    lead, owner = plan.obj, plan.owner
    event(demo, lead, EventKind.CREATED, owner, plan.t, {"source": plan.source})
    write_acts(demo, lead, plan.acts)
    previous = LeadStatus.CONTACTED
    if plan.qualified_t is not None:
        data = {"field": "status", "from": previous, "to": LeadStatus.QUALIFIED}
        event(demo, lead, EventKind.STATUS_CHANGED, owner, plan.qualified_t, data)
        previous = LeadStatus.QUALIFIED
    if plan.status == LeadStatus.DISQUALIFIED:
        data = {"field": "status", "from": previous, "to": plan.status}
        event(demo, lead, EventKind.STATUS_CHANGED, owner, plan.closed_t, data)
        data = {"fields": {"disqualify_reason": {"from": "", "to": plan.reason}}}
        event(demo, lead, EventKind.UPDATED, owner, plan.closed_t, data)
    elif plan.deal is not None:
        deal, customer, t = plan.deal.obj, plan.deal.customer, plan.closed_t
        links = {
            "lead_id": lead.pk,
            "customer_id": customer.obj.pk,
            "contact_id": customer.contact_objs[0].pk,
            "deal_id": deal.pk,
        }
        data = {"field": "status", "from": previous, "to": LeadStatus.CONVERTED}
        event(demo, lead, EventKind.STATUS_CHANGED, plan.converter, t, data)
        for subject in (lead, customer.obj, deal):
            event(demo, subject, EventKind.CONVERTED, plan.converter, t, links)
    write_todos(demo, lead, plan.todos)
    demo.writer.flush(force=False)


def write_deal(demo: Demo, plan: DealPlan) -> None:
    deal, owner = plan.obj, plan.owner
    first, t0 = plan.moves[0]
    event(demo, deal, EventKind.CREATED, plan.creator, t0, {"stage": first.name})
    data = {"deal_id": deal.pk, "name": deal.name}
    event(demo, plan.customer.obj, EventKind.DEAL_CREATED, plan.creator, t0, data)
    demo.writer.add(
        StageChange(deal=deal, to_stage=first, changed_at=demo.at(t0), changed_by=plan.creator)
    )
    for (old, old_t), (new, t) in pairwise(plan.moves):
        seconds = int((demo.at(t) - demo.at(old_t)).total_seconds())
        reason = plan.lost_reason if new.kind == StageKind.LOST else ""
        demo.writer.add(
            StageChange(
                deal=deal,
                from_stage=old,
                to_stage=new,
                changed_at=demo.at(t),
                changed_by=owner,
                seconds_in_from=seconds,
                lost_reason=reason,
            )
        )
        data = {
            "from": old.pk,
            "to": new.pk,
            "from_name": old.name,
            "to_name": new.name,
            "seconds_in_from": seconds,
        }
        event(demo, deal, EventKind.STAGE_CHANGED, owner, t, data)
        if new.kind != StageKind.OPEN:
            data = {"field": "status", "from": DealStatus.OPEN, "to": new.kind}
            if reason:
                data["lost_reason"] = reason
            event(demo, deal, EventKind.STATUS_CHANGED, owner, t, data)
    for user, role, t in plan.collaborators:
        demo.writer.add(DealCollaborator(deal=deal, user=user, role=role))
        data = {"user_id": user.pk, "role": role}
        event(demo, deal, EventKind.COLLABORATOR_ADDED, owner, t, data)
    if plan.quote is not None:
        data = {"field": "amount", "from": plan.quote, "to": plan.amount}
        event(demo, deal, EventKind.AMOUNT_CHANGED, owner, plan.quote_t, data)
    contacts = plan.customer.contact_objs
    write_acts(demo, deal, plan.acts, [contacts[plan.contact_index], *contacts])
    write_todos(demo, deal, plan.todos)
    demo.writer.flush(force=False)


def write_own_tasks(demo: Demo) -> None:
    """Tasks about no record: weekly reports, visit plans, forecasts."""
    rng = demo.rng
    for user in demo.users[1:]:
        for _i in range(rng.randint(1, 2)):
            title = rng.choice(OWN_TASKS)
            t = -rng.uniform(0.5, 30)
            todo = (
                demo.done_todo(title, user, user, t, t + 7)
                if rng.random() < 0.5
                else demo.open_todo(title, user, user, t)
            )
            write_todos(demo, None, [todo])
