"""Fixtures for products and quotes: a catalogue, a deal with a contact, quotes made through the
services (so their numbers, amounts and timeline events are real)."""

from decimal import Decimal

import factory
import pytest
from factory.django import DjangoModelFactory

from gendan.sales.models import Product
from gendan.sales.services import quotes as quote_services
from tests.factories import ContactFactory, CustomerFactory, DealFactory, UserFactory


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    unit = "set"
    list_price = Decimal("1000.00")


@pytest.fixture
def ops(org):
    """Sales operations (ops, team scope) in team A."""
    return UserFactory(username="ops", role_code="ops", team=org.team_a)


@pytest.fixture
def deal(org):
    """A deal of `owner` with a Chinese customer and its contact."""
    customer = CustomerFactory(
        owner=org.owner, name="华东精密机械有限公司", address="上海市浦东新区张江路 88 号"
    )
    contact = ContactFactory(
        customer=customer, name="王磊", title="采购经理", email="wang.lei@example.cn"
    )
    return DealFactory(owner=org.owner, customer=customer, contact=contact, name="MES upgrade")


@pytest.fixture
def products(db):
    return {
        "licence": ProductFactory(
            name="CRM licence", sku="CRM-LIC", unit="seat", list_price=Decimal("1200.00")
        ),
        "training": ProductFactory(
            name="On-site training", sku="TRN-DAY", unit="day", list_price=Decimal("3500.00")
        ),
    }


@pytest.fixture
def make_quote(org, deal):
    """`make_quote(**data)` drafts a quote through the service (default: one 1,000.00 line)."""

    def make(actor=None, **data):
        data.setdefault("deal_id", deal.pk)
        data.setdefault(
            "lines", [{"description": "Consulting", "quantity": Decimal(1), "unit_price": 1000}]
        )
        for line in data["lines"]:
            for key in ("quantity", "unit_price", "discount_pct"):
                if line.get(key) is not None:
                    line[key] = Decimal(str(line[key]))
        if data.get("tax_rate") is not None:
            data["tax_rate"] = Decimal(str(data["tax_rate"]))
        return quote_services.quote_create(actor=actor or org.owner, data=data)

    return make
