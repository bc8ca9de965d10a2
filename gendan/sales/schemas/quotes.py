from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q
from django.urls import reverse
from ninja import Schema
from pydantic import Field

from gendan.core.filters import ListFilter
from gendan.core.schemas import InputSchema
from gendan.sales.choices import QuoteStatus

CURRENCY = {"min_length": 3, "max_length": 3, "pattern": r"^[A-Z]{3}$"}


class QuoteLineIn(InputSchema):
    """A product (`product_id`) or a free `description`; amounts are checked by the service."""

    product_id: int | None = None
    description: str | None = Field(None, max_length=500)
    unit: str | None = Field(None, max_length=32)
    quantity: Decimal
    unit_price: Decimal | None = None
    discount_pct: Decimal = Decimal(0)


class QuoteLineOut(Schema):
    id: int
    position: int
    product_id: int | None
    product_sku: str | None
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    gross: Decimal
    discount_amount: Decimal
    line_total: Decimal

    @staticmethod
    def resolve_product_sku(obj):
        return obj.product.sku if obj.product_id else None

    @staticmethod
    def resolve_gross(obj):
        return obj.line_total + obj.discount_amount


class QuoteOut(Schema):
    id: int
    number: str
    deal_id: int
    deal_name: str = Field(alias="deal.name")
    customer_id: int = Field(alias="deal.customer_id")
    customer_name: str = Field(alias="deal.customer.name")
    status: QuoteStatus
    currency: str
    tax_rate: Decimal
    valid_until: date | None
    notes: str
    lines: list[QuoteLineOut]
    subtotal: Decimal
    discount_total: Decimal
    tax: Decimal
    total: Decimal
    created_by_id: int
    created_by_name: str = Field(alias="created_by.name")
    sent_at: datetime | None
    decided_at: datetime | None
    pdf_url: str
    print_url: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_pdf_url(obj):
        return reverse("api:quote_pdf", kwargs={"quote_id": obj.pk})

    @staticmethod
    def resolve_print_url(obj):
        return reverse("sales:quote_print", kwargs={"quote_id": obj.pk})


class QuoteIn(InputSchema):
    deal_id: int
    currency: str | None = Field(None, **CURRENCY)
    tax_rate: Decimal = Decimal(0)
    valid_until: date | None = None
    notes: str = ""
    lines: list[QuoteLineIn] = Field(default_factory=list, max_length=500)


class QuotePatch(InputSchema):
    currency: str | None = Field(None, **CURRENCY)
    tax_rate: Decimal | None = None
    valid_until: date | None = None
    notes: str | None = None
    lines: list[QuoteLineIn] | None = Field(None, max_length=500)
    version: int | None = None


class QuoteActionIn(InputSchema):
    version: int | None = None


class QuoteFilter(ListFilter):
    q: str | None = None
    deal_id: int | None = None
    customer_id: int | None = None
    status: QuoteStatus | None = None
    ordering: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("number", "deal__name", "deal__customer__name"))

    def filter_customer_id(self, value) -> Q:
        return Q(deal__customer_id=value) if value else Q()


class DocumentLanguage(StrEnum):
    """The language of a printed quote; by default the reader's (Accept-Language)."""

    ZH_HANS = "zh-hans"
    EN = "en"
