import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.filters import Since, Until
from gendan.core.schemas import Email, InputSchema, Phone, WebAddress
from gendan.fields.choices import RecordType
from gendan.fields.filters import CustomListFilter
from gendan.fields.schemas import CUSTOM_IN, CUSTOM_PATCH, CustomValuesIn, custom_out
from gendan.leads.choices import LeadSource, LeadStatus


class LeadOut(custom_out(RecordType.LEAD), Schema):
    id: int
    name: str
    company: str
    title: str
    phone: str
    email: str
    wechat: str
    source: LeadSource
    status: LeadStatus
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    tags: list[str]
    notes: str
    disqualify_reason: str
    first_contacted_at: datetime | None
    last_activity_at: datetime | None
    next_follow_up_at: datetime | None
    converted_at: datetime | None
    customer_id: int | None
    contact_id: int | None
    deal_id: int | None
    in_pool: bool
    pool_entered_at: datetime | None
    pool_reason: str
    version: int
    created_at: datetime
    updated_at: datetime


class LeadIn(InputSchema):
    custom: CustomValuesIn = CUSTOM_IN
    name: str = Field(min_length=1, max_length=120)
    company: str = Field("", max_length=200)
    title: str = Field("", max_length=120)
    phone: Phone = Field("", max_length=32)
    email: Email = Field("", max_length=254)
    wechat: str = Field("", max_length=64)
    source: LeadSource = LeadSource.OTHER
    status: LeadStatus = LeadStatus.NEW
    owner_id: int | None = None
    tags: list[str] = []
    notes: str = ""
    disqualify_reason: str = Field("", max_length=255)
    next_follow_up_at: datetime | None = None


class LeadPatch(InputSchema):
    custom: CustomValuesIn | None = CUSTOM_PATCH
    name: str | None = Field(None, min_length=1, max_length=120)
    company: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=120)
    phone: Phone | None = Field(None, max_length=32)
    email: Email | None = Field(None, max_length=254)
    wechat: str | None = Field(None, max_length=64)
    source: LeadSource | None = None
    status: LeadStatus | None = None
    owner_id: int | None = None
    tags: list[str] | None = None
    notes: str | None = None
    disqualify_reason: str | None = Field(None, max_length=255)
    next_follow_up_at: datetime | None = None
    version: int | None = None


class LeadFilter(CustomListFilter):
    q: str | None = None
    status: LeadStatus | None = None
    source: LeadSource | None = None
    owner_id: int | None = None
    tag: str | None = None
    # The public lead form that made the lead: capture (the layer above) keeps that link, as
    # a row whose reverse name is `captured`; a lookup by name, so leads imports nothing of it.
    form_id: Annotated[int | None, FilterLookup("captured__form_id")] = None
    created_from: Annotated[Since, FilterLookup("created_at__gte")] = None
    created_to: Annotated[Until, FilterLookup("created_at__lt")] = None
    follow_up_before: Annotated[datetime | None, FilterLookup("next_follow_up_at__lt")] = None
    in_pool: bool | None = None
    ordering: str | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("name", "company", "phone", "email"), phone="phone")

    def filter_tag(self, value) -> Q:
        # JSON containment differs between SQLite and PostgreSQL; a quoted substring match on
        # the serialised list works on both for the exact tag. PostgreSQL prints non-ASCII text
        # as is, SQLite keeps the ASCII-escaped form Django wrote (\u91cd...): match either.
        if not value:
            return Q()
        return Q(tags__icontains=json.dumps(value, ensure_ascii=False)) | Q(
            tags__icontains=json.dumps(value)
        )


class ReleaseIn(InputSchema):
    reason: str = Field(max_length=255)


class PoolEventOut(Schema):
    id: int
    lead_id: int
    action: str
    user_id: int | None
    user_name: str | None
    reason: str
    at: datetime

    @staticmethod
    def resolve_user_name(obj):
        return obj.user.name if obj.user_id else None


class ConvertCustomerIn(InputSchema):
    custom: CustomValuesIn | None = Field(
        None, description="Custom field values; they win over what the conversion mapping carries."
    )
    name: str | None = Field(None, min_length=1, max_length=200)
    industry: str = Field("", max_length=80)
    size: str = Field("", max_length=16)
    region: str = Field("", max_length=80)
    address: str = Field("", max_length=255)
    website: WebAddress = Field("", max_length=255)
    owner_id: int | None = None


class ConvertContactIn(InputSchema):
    custom: CustomValuesIn | None = Field(
        None, description="Custom field values; they win over what the conversion mapping carries."
    )
    name: str | None = Field(None, min_length=1, max_length=120)
    title: str | None = Field(None, max_length=120)
    phone: Phone | None = Field(None, max_length=32)
    email: Email | None = Field(None, max_length=254)
    wechat: str | None = Field(None, max_length=64)


class ConvertDealIn(InputSchema):
    custom: CustomValuesIn | None = Field(
        None, description="Custom field values; they win over what the conversion mapping carries."
    )
    name: str | None = Field(None, min_length=1, max_length=200)
    pipeline_id: int | None = None
    stage_id: int | None = None
    amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    expected_close_date: date | None = None
    owner_id: int | None = None


class ConvertIn(InputSchema):
    customer_id: int | None = None
    customer: ConvertCustomerIn | None = None
    contact: ConvertContactIn | None = None
    create_contact: bool = True
    deal: ConvertDealIn | None = None


class ConvertOut(Schema):
    lead_id: int
    customer_id: int
    contact_id: int | None
    deal_id: int | None
