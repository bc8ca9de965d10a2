"""The records, written once a group of teams is planned: customers and their contacts, leads,
deals, with the dates their follow-ups give them (last activity, next follow-up)."""

from gendan.core.match_keys import company_key, email_key, phone_key
from gendan.customers.models import Contact, Customer
from gendan.deals.choices import DealStatus
from gendan.deals.models import Deal
from gendan.demo import fields as demo_fields
from gendan.demo.context import Demo
from gendan.demo.leads import POOL_REASON
from gendan.demo.plans import CustomerPlan, DealPlan, LeadPlan
from gendan.demo.words import DISTRICTS, ROADS
from gendan.leads.choices import LeadStatus
from gendan.leads.models import Lead


def save_customers(demo: Demo, customers: list[CustomerPlan]) -> None:
    rng, rows = demo.rng, demo.rows
    for plan in customers:
        company = plan.company
        acts = [*plan.acts, *(a for d in plan.deals for a in d.acts)]
        last = max((a.t for a in acts), default=None)
        upcoming = [d.acts[-1].next_t for d in plan.deals if d.kind == "open"]
        if plan.acts:
            upcoming.append(plan.acts[-1].next_t)
        upcoming = [t for t in upcoming if t is not None]
        changed = max(t for _p, t in plan.contacts)
        plan.id = rows.add(
            Customer,
            name=company.name,
            name_key=company_key(company.name),
            industry=company.industry,
            size=plan.size,
            region=company.city,
            address=(
                f"{company.city}市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
            ),
            website=f"www.{company.domain}" if rng.random() < 0.7 else "",
            status=plan.status,
            owner_id=plan.owner.pk,
            last_activity_at=demo.at(last) if last is not None else None,
            next_follow_up_at=demo.at(min(upcoming)) if upcoming else None,
            created_at=demo.at(plan.t),
            updated_at=demo.at(changed),
            version=len(plan.contacts),
        )
        rows.flush_if_full()
    contacts = [
        (t, plan, index, person)
        for plan in customers
        for index, (person, t) in enumerate(plan.contacts)
    ]
    contacts.sort(key=lambda c: c[0])  # ids in the order the contacts were added
    for plan in customers:
        plan.contact_ids = [0] * len(plan.contacts)
    before = None
    for n, (t, plan, index, person) in enumerate(contacts):
        # One contact in a hundred moved from the company of the one added before: another
        # customer's contact has the same mobile, written with +86 (查重 finds them).
        phone = person.phone
        if n % 100 == 50 and before is not None:
            phone = f"+86 {before.phone}"
        before = person
        plan.contact_ids[index] = rows.add(
            Contact,
            customer_id=plan.id,
            name=person.name,
            title=person.title,
            phone=phone,
            email=person.email,
            phone_key=phone_key(phone),
            email_key=email_key(person.email),
            wechat=person.wechat,
            is_primary=index == 0,
            created_at=demo.at(t),
            updated_at=demo.at(t),
        )
        rows.flush_if_full()


def save_leads(demo: Demo, leads: list[LeadPlan]) -> None:
    """The leads; a converted lead is linked to its deal once the deal is written."""
    rows = demo.rows
    for plan in leads:
        acts, status = plan.acts, plan.status
        is_open = status in (LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
        next_t = acts[-1].next_t if acts and is_open else None
        deal = plan.deal
        customer = deal.customer if deal else None
        changed = max(
            [plan.t, *(a.t for a in acts), plan.closed_t or plan.t, plan.pool_t or plan.t]
        )
        status_changes = (plan.qualified_t is not None) + (plan.closed_t is not None)
        pooled = plan.pool_t is not None
        plan.id = rows.add(
            Lead,
            name=plan.person.name,
            company=plan.company.name,
            title=plan.person.title,
            phone=plan.person.phone,
            email=plan.person.email,
            phone_key=phone_key(plan.person.phone),
            email_key=email_key(plan.person.email),
            company_key=company_key(plan.company.name),
            wechat=plan.person.wechat,
            source=plan.source,
            status=status,
            owner_id=plan.owner.pk,
            tags=plan.tags,
            custom=demo_fields.lead_values(demo),
            notes=plan.notes,
            disqualify_reason=plan.reason,
            first_contacted_at=demo.at(acts[0].t) if acts else None,
            last_activity_at=demo.at(acts[-1].t) if acts else None,
            next_follow_up_at=demo.at(next_t) if next_t is not None else None,
            converted_at=demo.at(plan.closed_t) if customer else None,
            customer_id=customer.id if customer else None,
            contact_id=customer.contact_ids[0] if customer else None,
            in_pool=pooled,
            pool_entered_at=demo.at(plan.pool_t) if pooled else None,
            pool_reason=POOL_REASON if pooled else "",
            created_at=demo.at(plan.t),
            updated_at=demo.at(changed),
            version=1 + len(acts) + status_changes + pooled,
        )
        rows.flush_if_full()


def save_deals(demo: Demo, deals: list[DealPlan]) -> None:
    rows = demo.rows
    for plan in deals:
        stage, entered = plan.moves[-1]
        last = plan.acts[-1]
        is_open = plan.kind == "open"
        changed = max(entered, plan.quote_t or entered)
        plan.id = rows.add(
            Deal,
            name=plan.name,
            customer_id=plan.customer.id,
            contact_id=plan.customer.contact_ids[plan.contact_index],
            pipeline_id=demo.pipeline.pk,
            stage_id=stage.pk,
            status=DealStatus(plan.kind).value,
            amount=plan.amount,
            expected_close_date=plan.expected,
            owner_id=plan.owner.pk,
            lead_id=plan.lead.id if plan.lead else None,
            lost_reason=plan.lost_reason,
            closed_at=None if is_open else demo.at(entered),
            stage_entered_at=demo.at(entered),
            last_activity_at=demo.at(last.t),
            next_follow_up_at=(
                demo.at(last.next_t) if is_open and last.next_t is not None else None
            ),
            risk_level=plan.risk,
            custom=demo_fields.deal_values(demo),
            created_at=demo.at(plan.t0),
            updated_at=demo.at(changed),
            version=len(plan.moves) + (plan.quote is not None),
        )
        rows.flush_if_full()
