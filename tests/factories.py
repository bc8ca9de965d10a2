"""factory_boy factories for the core domain.

Factories write rows directly (fast, for bulk data); tests that care about the side effects of
a write (timeline events, stage history) go through the services instead.
"""

from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gendan.activities.models import Activity, Task, TimelineEvent
from gendan.customers.models import Contact, Customer
from gendan.deals.models import Deal, Pipeline
from gendan.leads.models import Lead
from gendan.org.models import Role, Team, User

PASSWORD = "Correct-horse-42"


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def default_pipeline() -> Pipeline:
    return Pipeline.objects.get(is_default=True)


def stage(name: str, pipeline: Pipeline | None = None):
    return (pipeline or default_pipeline()).stages.get(name=name)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        role_code = "ae"

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)
    role = factory.LazyAttribute(lambda o: role(o.role_code) if o.role_code else None)
    team = None


class LeadFactory(DjangoModelFactory):
    class Meta:
        model = Lead

    name = factory.Sequence(lambda n: f"Lead {n}")
    company = factory.Sequence(lambda n: f"Company {n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    owner = factory.SubFactory(UserFactory)


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    owner = factory.SubFactory(UserFactory)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class DealFactory(DjangoModelFactory):
    class Meta:
        model = Deal

    name = factory.Sequence(lambda n: f"Deal {n}")
    owner = factory.SubFactory(UserFactory)
    customer = factory.SubFactory(CustomerFactory, owner=factory.SelfAttribute("..owner"))
    pipeline = factory.LazyFunction(default_pipeline)
    stage = factory.LazyAttribute(
        lambda o: o.pipeline.stages.filter(kind="open").order_by("order").first()
    )
    amount = Decimal("10000.00")
    stage_entered_at = factory.LazyFunction(timezone.now)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    subject_type = "lead"
    lead = factory.SubFactory(LeadFactory)
    owner = factory.SelfAttribute("lead.owner")
    summary = factory.Sequence(lambda n: f"Call {n}")


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Task {n}")
    assignee = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("assignee")


class TimelineEventFactory(DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    subject_type = "lead"
    lead = factory.SubFactory(LeadFactory)
    kind = "updated"
    actor = factory.SelfAttribute("lead.owner")
