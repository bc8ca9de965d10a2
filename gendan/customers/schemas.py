from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.filters import Since, Until
from gendan.core.money import rounded
from gendan.core.risk import RiskLevel, RiskReasonOut, reasons_out
from gendan.core.schemas import Email, InputSchema, Phone, WebAddress
from gendan.core.selectors import prefix_q
from gendan.customers.choices import CustomerSize, CustomerStatus
from gendan.customers.models import Contact
from gendan.fields.choices import RecordType
from gendan.fields.filters import CustomListFilter
from gendan.fields.schemas import CUSTOM_IN, CUSTOM_PATCH, CustomValuesIn, custom_out
from gendan.org.schemas import DuplicateOut


class CustomerOut(custom_out(RecordType.CUSTOMER), Schema):
    id: int
    name: str
    industry: str
    size: str
    region: str
    address: str
    website: str
    status: CustomerStatus
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    notes: str
    last_activity_at: datetime | None
    next_follow_up_at: datetime | None
    last_visit_at: datetime | None = None
    next_visit_at: datetime | None = None
    satisfaction_avg: Decimal | None = None
    risk_level: RiskLevel
    risk_reasons: list[RiskReasonOut]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_risk_reasons(obj):
        return reasons_out(obj.risk_reasons)

    @staticmethod
    def resolve_satisfaction_avg(obj):
        """Average after-sales satisfaction (1–5), one decimal place; null without scores."""
        count = getattr(obj, "satisfaction_count", None)
        if not count:
            return None
        average = Decimal(obj.satisfaction_sum) / Decimal(count)
        return rounded(average, "0.1")


class CustomerIn(InputSchema):
    custom: CustomValuesIn = CUSTOM_IN
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field("", max_length=80)
    size: CustomerSize = CustomerSize.UNKNOWN
    region: str = Field("", max_length=80)
    address: str = Field("", max_length=255)
    website: WebAddress = Field("", max_length=255)
    status: CustomerStatus = CustomerStatus.PROSPECT
    owner_id: int | None = None
    notes: str = ""


class CustomerPatch(InputSchema):
    custom: CustomValuesIn | None = CUSTOM_PATCH
    name: str | None = Field(None, min_length=1, max_length=200)
    industry: str | None = Field(None, max_length=80)
    size: CustomerSize | None = None
    region: str | None = Field(None, max_length=80)
    address: str | None = Field(None, max_length=255)
    website: WebAddress | None = Field(None, max_length=255)
    status: CustomerStatus | None = None
    owner_id: int | None = None
    notes: str | None = None
    version: int | None = None


def contact_phone_q(field: str):
    """For a `q` search (`phone=`) on records found through their customer's contacts: rows
    whose `field` names the customer of a contact whose phone starts with the digits."""

    def build(digits: str) -> Q:
        customers = Contact.objects.filter(prefix_q("phone", digits)).values("customer_id")
        return Q(**{f"{field}__in": customers})

    return build


class CustomerFilter(CustomListFilter):
    q: str | None = None
    status: CustomerStatus | None = None
    owner_id: int | None = None
    industry: str | None = None
    region: str | None = None
    size: CustomerSize | None = None
    risk_level: RiskLevel | None = None
    created_from: Annotated[Since, FilterLookup("created_at__gte")] = None
    created_to: Annotated[Until, FilterLookup("created_at__lt")] = None
    ordering: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("name", "website", "address"), phone=contact_phone_q("id"))


class ContactOut(custom_out(RecordType.CONTACT), Schema):
    id: int
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    name: str
    title: str
    phone: str
    email: str
    wechat: str
    is_primary: bool
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime


class ContactIn(InputSchema):
    custom: CustomValuesIn = CUSTOM_IN
    customer_id: int
    name: str = Field(min_length=1, max_length=120)
    title: str = Field("", max_length=120)
    phone: Phone = Field("", max_length=32)
    email: Email = Field("", max_length=254)
    wechat: str = Field("", max_length=64)
    is_primary: bool = False
    notes: str = ""


class ContactPatch(InputSchema):
    custom: CustomValuesIn | None = CUSTOM_PATCH
    customer_id: int | None = None
    name: str | None = Field(None, min_length=1, max_length=120)
    title: str | None = Field(None, max_length=120)
    phone: Phone | None = Field(None, max_length=32)
    email: Email | None = Field(None, max_length=254)
    wechat: str | None = Field(None, max_length=64)
    is_primary: bool | None = None
    notes: str | None = None
    version: int | None = None


class ContactFilter(CustomListFilter):
    q: str | None = None
    customer_id: int | None = None
    is_primary: bool | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("name", "phone", "email", "wechat"), phone="phone")


class CustomerCreatedOut(CustomerOut):
    """The new customer, and the records it may duplicate on a field whose rule warns (查重)."""

    duplicates: list[DuplicateOut] = []


class ContactCreatedOut(ContactOut):
    """The new contact, and the records it may duplicate on a field whose rule warns (查重)."""

    duplicates: list[DuplicateOut] = []
