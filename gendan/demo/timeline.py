"""The history of each record, as the services would have written it: follow-ups, tasks,
stage changes, collaborators and timeline events, added to `demo.rows`.

A record is named by its subject: `(kind, id)`, kind one of lead, customer, deal, contract.
"""

from decimal import Decimal
from itertools import pairwise

from gendan.activities.choices import EventKind, TaskStatus
from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.deals import rules
from gendan.deals.choices import DealStatus, StageKind
from gendan.deals.models import DealChecklistTick, DealCollaborator, StageChange
from gendan.demo.context import Demo
from gendan.demo.leads import POOL_REASON
from gendan.demo.plans import Act, CustomerPlan, DealPlan, LeadPlan, Todo
from gendan.demo.words import OWN_TASKS
from gendan.leads.choices import LeadStatus
from gendan.leads.models import LeadPoolEvent
from gendan.org.models import User


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def event(demo: Demo, subject, kind: str, actor: User | None, t: float, data=None, **links):
    """A timeline event on `subject` at planned time `t`; `links`: activity_id, task_id."""
    kind_name, pk = subject
    demo.rows.add(
        TimelineEvent,
        subject_type=kind_name,
        **{f"{kind_name}_id": pk},
        kind=kind,
        actor_id=actor.pk if actor else None,
        occurred_at=demo.at(t),
        data={key: _plain(value) for key, value in (data or {}).items()},
        **links,
    )


def write_acts(demo: Demo, subject, acts: list[Act], contacts: list | None = None) -> None:
    """The follow-ups of a record, each with its timeline event; `contacts`: (id, t) pairs,
    the record's own contact first."""
    rng, rows = demo.rng, demo.rows
    kind_name, pk = subject
    for act in acts:
        contact = None
        if contacts:  # the record's own contact mostly, else another one known by then
            known = [c for c, t in contacts if t <= act.t] or [contacts[0][0]]
            contact = known[0] if rng.random() < 0.7 else rng.choice(known)
        occurred = demo.at(act.t)
        activity = rows.add(
            Activity,
            subject_type=kind_name,
            **{f"{kind_name}_id": pk},
            contact_id=contact,
            channel=act.channel,
            outcome=act.outcome,
            summary=act.summary,
            occurred_at=occurred,
            next_follow_up_at=demo.at(act.next_t) if act.next_t is not None else None,
            objection=act.objection,
            requirement_changed=act.changed,
            owner_id=act.owner.pk,
            created_at=occurred,
            updated_at=occurred,
        )
        data = {"channel": act.channel, "outcome": act.outcome}
        event(demo, subject, EventKind.FOLLOW_UP, act.owner, act.t, data, activity_id=activity)


def write_todos(demo: Demo, subject, todos: list[Todo]) -> None:
    """Tasks on a record (or on none), with their created / done / cancelled events."""
    for todo in todos:
        done = demo.at(todo.done) if todo.done is not None else None
        links = {"subject_type": subject[0], f"{subject[0]}_id": subject[1]} if subject else {}
        task = demo.rows.add(
            Task,
            title=todo.title,
            assignee_id=todo.assignee.pk,
            created_by_id=todo.created_by.pk,
            due_at=demo.at(todo.due),
            priority=todo.priority,
            status=todo.status,
            done_at=done if todo.status == TaskStatus.DONE else None,
            **links,
            created_at=demo.at(todo.t),
            updated_at=done or demo.at(todo.t),
            version=1 if done is None else 2,
        )
        if subject is None:
            continue
        data = {"title": todo.title}
        event(demo, subject, EventKind.TASK_CREATED, todo.created_by, todo.t, data, task_id=task)
        if todo.status != TaskStatus.OPEN:
            kind = (
                EventKind.TASK_DONE if todo.status == TaskStatus.DONE else EventKind.TASK_CANCELLED
            )
            event(demo, subject, kind, todo.assignee, todo.done, data, task_id=task)


def customer_contacts(plan: CustomerPlan, first: int = 0) -> list[tuple[int, float]]:
    """The customer's contacts as (id, t), contact `first` first."""
    pairs = [(pk, t) for pk, (_p, t) in zip(plan.contact_ids, plan.contacts, strict=True)]
    return [pairs[first], *pairs]


def write_customer(demo: Demo, plan: CustomerPlan) -> None:
    customer = ("customer", plan.id)
    event(demo, customer, EventKind.CREATED, plan.creator, plan.t)
    for index, (pk, (person, t)) in enumerate(zip(plan.contact_ids, plan.contacts, strict=True)):
        data = {"contact_id": pk, "name": person.name}
        actor = plan.creator if index == 0 else plan.owner
        event(demo, customer, EventKind.CONTACT_ADDED, actor, t, data)
    write_acts(demo, customer, plan.acts, customer_contacts(plan))
    demo.rows.flush_if_full()


def write_lead(demo: Demo, plan: LeadPlan) -> None:
    lead, owner = ("lead", plan.id), plan.owner
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
        deal, customer, t = plan.deal, plan.deal.customer, plan.closed_t
        links = {
            "lead_id": plan.id,
            "customer_id": customer.id,
            "contact_id": customer.contact_ids[0],
            "deal_id": deal.id,
        }
        data = {"field": "status", "from": previous, "to": LeadStatus.CONVERTED}
        event(demo, lead, EventKind.STATUS_CHANGED, plan.converter, t, data)
        for subject in (lead, ("customer", customer.id), ("deal", deal.id)):
            event(demo, subject, EventKind.CONVERTED, plan.converter, t, links)
    if plan.pool_t is not None:  # by the automation: no actor
        at = demo.at(plan.pool_t)
        demo.rows.add(
            LeadPoolEvent,
            lead_id=plan.id,
            user_id=owner.pk,
            action=LeadPoolEvent.Action.RELEASED,
            reason=POOL_REASON,
            at=at,
        )
        data = {"fields": {"in_pool": {"from": False, "to": True}}, "pool_reason": POOL_REASON}
        event(demo, lead, EventKind.UPDATED, None, plan.pool_t, data)
    write_todos(demo, lead, plan.todos)
    demo.rows.flush_if_full()


def write_deal(demo: Demo, plan: DealPlan) -> None:
    rows, deal, owner = demo.rows, ("deal", plan.id), plan.owner
    first, t0 = plan.moves[0]
    event(demo, deal, EventKind.CREATED, plan.creator, t0, {"stage": first.name})
    data = {"deal_id": plan.id, "name": plan.name}
    event(demo, ("customer", plan.customer.id), EventKind.DEAL_CREATED, plan.creator, t0, data)
    rows.add(
        StageChange,
        deal_id=plan.id,
        to_stage_id=first.pk,
        changed_at=demo.at(t0),
        changed_by_id=plan.creator.pk,
    )
    for (old, old_t), (new, t) in pairwise(plan.moves):
        seconds = int((demo.at(t) - demo.at(old_t)).total_seconds())
        reason = plan.lost_reason if new.kind == StageKind.LOST else ""
        rows.add(
            StageChange,
            deal_id=plan.id,
            from_stage_id=old.pk,
            to_stage_id=new.pk,
            changed_at=demo.at(t),
            changed_by_id=owner.pk,
            seconds_in_from=seconds,
            lost_reason=reason,
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
        rows.add(DealCollaborator, deal_id=plan.id, user_id=user.pk, role=role)
        data = {"user_id": user.pk, "role": role}
        event(demo, deal, EventKind.COLLABORATOR_ADDED, owner, t, data)
    if plan.quote is not None:
        data = {"field": "amount", "from": plan.quote, "to": plan.amount}
        event(demo, deal, EventKind.AMOUNT_CHANGED, owner, plan.quote_t, data)
    write_ticks(demo, plan)
    write_acts(demo, deal, plan.acts, customer_contacts(plan.customer, plan.contact_index))
    write_todos(demo, deal, plan.todos)
    demo.rows.flush_if_full()


def write_ticks(demo: Demo, plan: DealPlan) -> None:
    """The mandatory key actions of each stage the deal left for another open stage or a won
    one, ticked while it was there (as the rules require; a tick stays when the deal leaves),
    and those of the current stage of every other open deal."""
    nexts = [new for new, _t in plan.moves[1:]] + [None]
    ends = [t for _new, t in plan.moves[1:]] + [0.0]
    ticked = set()
    for (stage, start), new, end in zip(plan.moves, nexts, ends, strict=True):
        if new is None:
            needed = plan.kind == "open" and plan.id % 2 == 0
        else:
            needed = new.kind != StageKind.LOST
        for item in rules.mandatory_items(stage) if needed else []:
            if (stage.pk, item["id"]) in ticked:
                continue
            ticked.add((stage.pk, item["id"]))
            t = start + (end - start) * 0.6
            demo.rows.add(
                DealChecklistTick,
                deal_id=plan.id,
                stage_id=stage.pk,
                item_id=item["id"],
                ticked_by_id=plan.owner.pk,
                ticked_at=demo.at(t),
            )
            data = {
                "item_id": item["id"],
                "text": item["text"],
                "stage_id": stage.pk,
                "stage_name": stage.name,
            }
            event(demo, ("deal", plan.id), EventKind.CHECKLIST_TICKED, plan.owner, t, data)


def write_own_tasks(demo: Demo, users: list[User]) -> None:
    """Tasks about no record: weekly reports, visit plans, forecasts."""
    rng = demo.rng
    for user in users:
        for _i in range(rng.randint(1, 2)):
            title = rng.choice(OWN_TASKS)
            t = -rng.uniform(0.5, 30)
            todo = (
                demo.done_todo(title, user, user, t, t + 7)
                if rng.random() < 0.5
                else demo.open_todo(title, user, user, t)
            )
            write_todos(demo, None, [todo])
