"""The records, saved in bulk once everything is planned: customers and their contacts,
leads, deals, with the dates their follow-ups give them (last activity, next follow-up)."""

from gendan.core.demo.context import BATCH_SIZE, Demo
from gendan.core.demo.plans import CustomerPlan, DealPlan, LeadPlan
from gendan.core.demo.words import DISTRICTS, ROADS
from gendan.customers.models import Contact, Customer
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal
from gendan.leads.choices import LeadStatus
from gendan.leads.models import Lead


def save_customers(demo: Demo, customers: list[CustomerPlan]) -> None:
    rng = demo.rng
    for plan in customers:
        company = plan.company
        acts = [*plan.acts, *(a for d in plan.deals for a in d.acts)]
        last = max((a.t for a in acts), default=None)
        upcoming = [d.acts[-1].next_t for d in plan.deals if d.kind == "open"]
        if plan.acts:
            upcoming.append(plan.acts[-1].next_t)
        upcoming = [t for t in upcoming if t is not None]
        changed = max(t for _p, t in plan.contacts)
        plan.obj = Customer(
            name=company.name,
            industry=company.industry,
            size=plan.size,
            region=company.city,
            address=(
                f"{company.city}市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
            ),
            website=f"www.{company.domain}" if rng.random() < 0.7 else "",
            status=plan.status,
            owner=plan.owner,
            last_activity_at=demo.at(last) if last is not None else None,
            next_follow_up_at=demo.at(min(upcoming)) if upcoming else None,
            created_at=demo.at(plan.t),
            updated_at=demo.at(changed),
            version=len(plan.contacts),
        )
    Customer.objects.bulk_create([p.obj for p in customers], batch_size=BATCH_SIZE)
    contacts = []
    for plan in customers:
        for index, (person, t) in enumerate(plan.contacts):
            contact = Contact(
                customer=plan.obj,
                name=person.name,
                title=person.title,
                phone=person.phone,
                email=person.email,
                wechat=person.wechat,
                is_primary=index == 0,
                created_at=demo.at(t),
                updated_at=demo.at(t),
            )
            plan.contact_objs.append(contact)
            contacts.append(contact)
    contacts.sort(key=lambda c: c.created_at)
    Contact.objects.bulk_create(contacts, batch_size=BATCH_SIZE)


def save_leads(demo: Demo, leads: list[LeadPlan]) -> None:
    for plan in leads:
        acts, status = plan.acts, plan.status
        is_open = status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
        next_t = acts[-1].next_t if acts and is_open else None
        customer = plan.deal.customer if plan.deal else None
        changed = max([plan.t, *(a.t for a in acts), plan.closed_t or plan.t])
        status_changes = (plan.qualified_t is not None) + (plan.closed_t is not None)
        plan.obj = Lead(
            name=plan.person.name,
            company=plan.company.name,
            title=plan.person.title,
            phone=plan.person.phone,
            email=plan.person.email,
            wechat=plan.person.wechat,
            source=plan.source,
            status=status,
            owner=plan.owner,
            tags=plan.tags,
            notes=plan.notes,
            disqualify_reason=plan.reason,
            first_contacted_at=demo.at(acts[0].t) if acts else None,
            last_activity_at=demo.at(acts[-1].t) if acts else None,
            next_follow_up_at=demo.at(next_t) if next_t is not None else None,
            converted_at=demo.at(plan.closed_t) if customer else None,
            customer=customer.obj if customer else None,
            contact=customer.contact_objs[0] if customer else None,
            created_at=demo.at(plan.t),
            updated_at=demo.at(changed),
            version=1 + len(acts) + status_changes,
        )
    Lead.objects.bulk_create([p.obj for p in leads], batch_size=BATCH_SIZE)


def save_deals(demo: Demo, deals: list[DealPlan]) -> None:
    for plan in deals:
        stage, entered = plan.moves[-1]
        last = plan.acts[-1]
        is_open = plan.kind == "open"
        changed = max(entered, plan.quote_t or entered)
        plan.obj = Deal(
            name=plan.name,
            customer=plan.customer.obj,
            contact=plan.customer.contact_objs[plan.contact_index],
            pipeline=demo.pipeline,
            stage=stage,
            status=DealStatus(plan.kind),
            amount=plan.amount,
            expected_close_date=plan.expected,
            owner=plan.owner,
            lead=plan.lead.obj if plan.lead else None,
            lost_reason=plan.lost_reason,
            closed_at=None if is_open else demo.at(entered),
            stage_entered_at=demo.at(entered),
            last_activity_at=demo.at(last.t),
            next_follow_up_at=(
                demo.at(last.next_t) if is_open and last.next_t is not None else None
            ),
            risk_level=plan.risk,
            created_at=demo.at(plan.t0),
            updated_at=demo.at(changed),
            version=len(plan.moves) + (plan.quote is not None),
        )
    Deal.objects.bulk_create([p.obj for p in deals], batch_size=BATCH_SIZE)


def link_converted_leads(converted: list[LeadPlan]) -> None:
    """A converted lead names its deal, saved after it."""
    for plan in converted:
        plan.obj.deal = plan.deal.obj
    Lead.objects.bulk_update([p.obj for p in converted], ["deal"], batch_size=BATCH_SIZE)
