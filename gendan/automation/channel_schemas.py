from datetime import datetime

from ninja import Schema
from pydantic import Field

from gendan.core.schemas import InputSchema


class ChatChannelOut(Schema):
    """The secret is never shown: `has_secret` says whether one is set."""

    id: int
    name: str
    kind: str
    url: str
    has_secret: bool
    team_id: int | None
    enabled: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_has_secret(obj):
        return bool(obj.secret)


class ChatChannelIn(InputSchema):
    name: str = Field(min_length=1, max_length=120)
    kind: str
    url: str = Field(max_length=500)
    secret: str = Field("", max_length=255)
    team_id: int | None = None
    enabled: bool = True


class ChatChannelPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: str | None = None
    url: str | None = Field(None, max_length=500)
    secret: str | None = Field(None, max_length=255)
    team_id: int | None = None
    enabled: bool | None = None
    version: int | None = None


class PreferenceItem(InputSchema):
    kind: str = Field(description='A notification kind, or "*" for every kind.')
    channel: str = Field(description="email or chat")
    enabled: bool


class PreferencesOut(Schema):
    items: list[PreferenceItem]
    defaults: dict


class PreferencesIn(InputSchema):
    items: list[PreferenceItem]
