from datetime import datetime
from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, Schema
from pydantic import Field

from gendan.core.filters import ListFilter, Since, Until
from gendan.core.schemas import Email, ErrorOut, InputSchema, Phone
from gendan.org.choices import (
    AuditKind,
    AuditVia,
    DuplicateAction,
    DuplicateField,
    DuplicateRecord,
    Scope,
)


class TokenIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    name: str = ""


class TokenOut(Schema):
    token: str


class TokenInfoOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class RoleOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    scope: Scope
    # Whether the role's members may export lists (CSV / XLSX).
    may_export: bool
    version: int


class RolePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=64)
    name_zh: str | None = Field(None, max_length=64)
    scope: Scope | None = None
    may_export: bool | None = None
    version: int | None = None


class TeamOut(Schema):
    id: int
    name: str
    parent_id: int | None
    manager_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class TeamIn(InputSchema):
    name: str = Field(min_length=1, max_length=120)
    parent_id: int | None = None
    manager_id: int | None = None


class TeamPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    parent_id: int | None = None
    manager_id: int | None = None
    version: int | None = None


class UserOut(Schema):
    id: int
    username: str
    name: str
    display_name: str
    email: str
    phone: str
    role_id: int | None
    role_code: str | None
    team_id: int | None
    is_active: bool
    is_admin: bool
    version: int
    created_at: datetime
    updated_at: datetime


class UserIn(InputSchema):
    username: str = Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    password: str = Field(min_length=1, max_length=128)
    display_name: str = Field("", max_length=120)
    email: Email = Field("", max_length=254)
    phone: Phone = Field("", max_length=32)
    role_id: int | None = None
    team_id: int | None = None


class UserPatch(InputSchema):
    username: str | None = Field(None, min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    password: str | None = Field(None, min_length=1, max_length=128)
    display_name: str | None = Field(None, max_length=120)
    email: Email | None = Field(None, max_length=254)
    phone: Phone | None = Field(None, max_length=32)
    role_id: int | None = None
    team_id: int | None = None
    is_active: bool | None = None
    version: int | None = None


class UserFilter(ListFilter):
    q: str | None = None
    team_id: int | None = None
    role_id: int | None = None
    is_active: bool | None = None

    def filter_q(self, value) -> Q:
        return self.search(value, ("username", "display_name", "email"))


class MeOut(UserOut):
    scope: str
    team_ids: list[int]


# The duplicate check (查重) ------------------------------------------------------------------


class DuplicateOut(Schema):
    """A record that has the same key: `id` and `name` only when it is in the caller's scope
    (`visible`); the owner's name always, so the caller knows whom to ask."""

    record_type: DuplicateRecord
    field: DuplicateField
    action: DuplicateAction
    owner_name: str
    visible: bool
    id: int | None
    name: str | None
    detail: str | None  # a lead's company, a contact's customer (in scope only)


class DuplicatesConflictOut(ErrorOut):
    """409. For a duplicate (查重): `blocked` (a rule refuses it) and the matches in
    `duplicates`; another conflict (a reused Idempotency-Key...) has `detail` alone."""

    blocked: bool = False
    duplicates: list[DuplicateOut] = []


class DuplicateRulesOut(Schema):
    """The action (off, warn, block) of each field of each record type."""

    lead: dict[str, DuplicateAction]
    customer: dict[str, DuplicateAction]
    contact: dict[str, DuplicateAction]


class DuplicateRulesIn(InputSchema):
    """Only the fields to change: `{"lead": {"phone": "block"}}`."""

    lead: dict[str, DuplicateAction] | None = None
    customer: dict[str, DuplicateAction] | None = None
    contact: dict[str, DuplicateAction] | None = None


class DuplicateCheckData(InputSchema):
    """The fields of the record as they would be saved; those its type is not compared on are
    not used (a lead: phone, email, company; a customer: name; a contact: phone, email)."""

    name: str | None = Field(None, max_length=200)
    company: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=32)
    email: str | None = Field(None, max_length=254)


class DuplicateCheckIn(InputSchema):
    record_type: DuplicateRecord
    data: DuplicateCheckData
    exclude_id: int | None = None


class DuplicateCheckOut(Schema):
    duplicates: list[DuplicateOut]


class DuplicateMemberOut(Schema):
    id: int
    name: str
    detail: str
    owner_name: str


class DuplicateGroupOut(Schema):
    key: str
    count: int
    records: list[DuplicateMemberOut]


class DuplicateGroupsOut(Schema):
    """A page of groups in key order; `next` is the `after` of the next page (null: the last)."""

    items: list[DuplicateGroupOut]
    next: str | None


# The audit log ---------------------------------------------------------------------------


class AuditFilter(ListFilter):
    kind: AuditKind | None = None
    actor_id: int | None = None
    # The name typed at a sign-in, or the actor's (exact).
    username: str | None = None
    since: Annotated[Since, FilterLookup("at__gte")] = None
    until: Annotated[Until, FilterLookup("at__lt")] = None


class AuditEntryOut(Schema):
    id: int
    kind: AuditKind
    at: datetime
    actor_id: int | None
    actor_name: str | None
    username: str
    target_user_id: int | None
    target_user_name: str | None
    via: AuditVia | str
    address: str | None
    data: dict

    @staticmethod
    def resolve_actor_name(obj):
        return obj.actor.name if obj.actor_id else None

    @staticmethod
    def resolve_target_user_name(obj):
        return obj.target_user.name if obj.target_user_id else None
