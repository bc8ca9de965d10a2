"""A few records of every kind, mostly the rep's (the admin sees them too), so that the ids the
fuzzer sends find something: `seed_records(org)` names the ids after the parameters that take
them (`lead_id`, `quote_id`, ...)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gendan.deals.models import Pipeline
from gendan.followups import services as followup_services
from gendan.org import services as org_services
from gendan.org.models import Role
from gendan.sales.services import quotes as quote_services
from tests.contracts.conftest import ContractFactory, MilestoneFactory, PlanFactory, VisitFactory
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    DealFactory,
    LeadFactory,
    TaskFactory,
)
from tests.quotes.conftest import ProductFactory


def _quote(actor, deal):
    line = {"description": "Consulting", "quantity": Decimal(2), "unit_price": Decimal(1000)}
    return quote_services.quote_create(actor=actor, data={"deal_id": deal.pk, "lines": [line]})


def seed_records(org) -> dict[str, list[int]]:
    owners = [org.owner, org.owner, org.admin]
    leads = [LeadFactory(owner=user) for user in owners]
    customers = [CustomerFactory(owner=user) for user in owners]
    contacts = [ContactFactory(customer=customer) for customer in customers]
    deals = [
        DealFactory(owner=customer.owner, customer=customer, contact=contact)
        for customer, contact in zip(customers, contacts, strict=True)
    ]
    contracts = [
        ContractFactory(owner=deal.owner, customer=deal.customer, deal=deal) for deal in deals
    ]
    comments = [
        followup_services.comment_create(
            actor=deal.owner, data={"subject_type": "deal", "subject_id": deal.pk, "body": "ok"}
        )
        for deal in deals
    ]
    pipeline = Pipeline.objects.first()
    return {
        "lead_id": [x.pk for x in leads],
        "customer_id": [x.pk for x in customers],
        "contact_id": [x.pk for x in contacts],
        "deal_id": [x.pk for x in deals],
        "contract_id": [x.pk for x in contracts],
        "quote_id": [_quote(deal.owner, deal).pk for deal in deals],
        "plan_id": [PlanFactory(contract=c, sequence=1).pk for c in contracts],
        "milestone_id": [MilestoneFactory(contract=c).pk for c in contracts],
        "visit_id": [
            VisitFactory(customer=c, occurred_at=timezone.now() - timedelta(days=2)).pk
            for c in customers
        ],
        "activity_id": [ActivityFactory(lead=lead, owner=lead.owner).pk for lead in leads],
        "task_id": [TaskFactory(assignee=user).pk for user in owners],
        "comment_id": [x.pk for x in comments],
        "product_id": [ProductFactory().pk, ProductFactory().pk],
        "user_id": [org.owner.pk, org.peer.pk, org.manager.pk, org.admin.pk],
        "team_id": [org.team_a.pk, org.sub_team.pk, org.team_b.pk],
        "role_id": list(Role.objects.values_list("pk", flat=True)[:4]),
        "pipeline_id": [pipeline.pk],
        "stage_id": list(pipeline.stages.values_list("pk", flat=True)),
        "token_id": [org_services.token_create(user=org.owner, name="spare")[0].pk],
        "subject_id": [leads[0].pk, customers[0].pk, deals[0].pk],
    }
