"""Contracts, payment plans and payments, delivery and visits: factories and helpers.

Factories write rows directly (for bulk data and query counts); the scenarios that care about
side effects go through the services or the API.
"""

from datetime import timedelta
from decimal import Decimal

import factory
import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory

from gendan.deals.choices import DealStatus
from gendan.sales.models import Contract, Milestone, PaymentPlan, Visit
from gendan.sales.services import contracts as contract_services
from gendan.sales.services import payments as payment_services
from tests.factories import CustomerFactory, DealFactory, UserFactory, stage


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    number = factory.Sequence(lambda n: f"C-TEST-{n:05d}")
    owner = factory.SubFactory(UserFactory)
    customer = factory.SubFactory(CustomerFactory, owner=factory.SelfAttribute("..owner"))
    title = factory.Sequence(lambda n: f"Contract {n}")
    amount = Decimal("10000.00")
    status = "active"


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = PaymentPlan

    contract = factory.SubFactory(ContractFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    amount = Decimal("1000.00")


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    contract = factory.SubFactory(ContractFactory)
    name = factory.Sequence(lambda n: f"Milestone {n}")
    owner = factory.SelfAttribute("contract.owner")


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    customer = factory.SubFactory(CustomerFactory)
    owner = factory.SelfAttribute("customer.owner")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    satisfaction = 4


def won_deal(owner, amount="90000.00", **kwargs):
    """A deal of `owner` in the Won stage (and its prospect customer)."""
    return DealFactory(
        owner=owner,
        stage=stage("Won"),
        status=DealStatus.WON,
        amount=Decimal(amount),
        closed_at=timezone.now(),
        **kwargs,
    )


def draft_contract(owner, amount="90000.00", **data):
    customer = data.pop("customer", None) or CustomerFactory(owner=owner)
    return contract_services.contract_create(
        actor=owner, data={"customer_id": customer.pk, "amount": Decimal(amount), **data}
    )


def active_contract(owner, amount="90000.00", **data):
    contract = draft_contract(owner, amount, **data)
    return contract_services.contract_activate(actor=owner, contract_id=contract.pk)


def plan(owner, contract, amount, due_in_days=30, **data):
    return payment_services.plan_create(
        actor=owner,
        data={
            "contract_id": contract.pk,
            "amount": Decimal(amount),
            "due_date": timezone.localdate() + timedelta(days=due_in_days),
            **data,
        },
    )


def pay(owner, contract, amount, **data):
    return payment_services.payment_record(
        actor=owner, data={"contract_id": contract.pk, "amount": Decimal(amount), **data}
    )


@pytest.fixture
def pm(org):
    """A project manager (own scope) in team A, not the owner of anything."""
    return UserFactory(username="pm", role_code="pm", team=org.team_a)
