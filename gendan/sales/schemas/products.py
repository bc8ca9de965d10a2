from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from ninja import Schema
from pydantic import Field

from gendan.core.filters import ListFilter
from gendan.core.schemas import InputSchema

CURRENCY = {"min_length": 3, "max_length": 3, "pattern": r"^[A-Z]{3}$"}


class ProductOut(Schema):
    id: int
    name: str
    sku: str
    unit: str
    list_price: Decimal
    currency: str
    description: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ProductIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    sku: str = Field(min_length=1, max_length=64)
    unit: str = Field("", max_length=32)
    list_price: Decimal
    currency: str = Field("CNY", **CURRENCY)
    description: str = ""
    active: bool = True


class ProductPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    sku: str | None = Field(None, min_length=1, max_length=64)
    unit: str | None = Field(None, max_length=32)
    list_price: Decimal | None = None
    currency: str | None = Field(None, **CURRENCY)
    description: str | None = None
    active: bool | None = None
    version: int | None = None


class ProductFilter(ListFilter):
    q: str | None = None
    active: bool | None = None
    currency: str | None = None
    ordering: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("name", "sku"))
