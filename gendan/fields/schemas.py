"""The API's shapes of field definitions, and the `custom` object of every record."""

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from gendan.core.schemas import InputSchema
from gendan.fields.choices import FieldType, RecordType
from gendan.fields.selectors import read_once
from gendan.fields.values import shown
from gendan.org.choices import RoleCode

# What a record's `custom` holds: `{field key: value}` (docs/customization.md lists the forms).
CustomValuesIn = dict[str, Any]


class ChoiceIn(InputSchema):
    value: str = Field(max_length=40, description="Stable: kept when the labels change.")
    label_zh: str = Field("", max_length=80)
    label_en: str = Field("", max_length=80)
    color: str = Field("#8a94a6", max_length=7)


class ChoiceOut(Schema):
    value: str
    label_zh: str
    label_en: str
    color: str


class CustomFieldIn(InputSchema):
    record_type: RecordType
    key: str = Field(max_length=40, description="Lower-case letters, digits and _; stable.")
    label_zh: str = Field("", max_length=80)
    label_en: str = Field("", max_length=80)
    type: FieldType
    choices: list[ChoiceIn] = []
    required: bool = False
    default: Any = None
    help_zh: str = Field("", max_length=255)
    help_en: str = Field("", max_length=255)
    position: int | None = Field(None, ge=0, le=10_000)
    visible_to: list[RoleCode] = Field([], description="Roles that see it; empty: everyone.")
    editable_by: list[RoleCode] = Field([], description="Roles that change it; empty: everyone.")
    on_card: bool = Field(False, description="Deals: shown on the board's cards (up to 3).")


class CustomFieldPatch(InputSchema):
    label_zh: str | None = Field(None, max_length=80)
    label_en: str | None = Field(None, max_length=80)
    choices: list[ChoiceIn] | None = None
    required: bool | None = None
    default: Any = None
    help_zh: str | None = Field(None, max_length=255)
    help_en: str | None = Field(None, max_length=255)
    position: int | None = Field(None, ge=0, le=10_000)
    visible_to: list[RoleCode] | None = None
    editable_by: list[RoleCode] | None = None
    on_card: bool | None = None
    version: int | None = None


class CustomFieldOut(Schema):
    id: int
    record_type: RecordType
    key: str
    label_zh: str
    label_en: str
    type: FieldType
    choices: list[ChoiceOut]
    required: bool
    default: Any
    help_zh: str
    help_en: str
    position: int
    visible_to: list[str]
    editable_by: list[str]
    archived_at: datetime | None
    on_card: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ArchiveIn(InputSchema):
    archived: bool = True


class DeleteOut(Schema):
    removed_values: int


def request_user(request):
    """Who reads: the API's caller, else the signed-in user."""
    return getattr(request, "auth", None) or getattr(request, "user", None)


def custom_of(record_type: str, obj, context) -> dict:
    """A record's `custom` object for the one who reads it (role visibility applied); the
    definitions are read once per request."""
    request = (context or {}).get("request")
    user = request_user(request) if request is not None else None
    fields = read_once(request, record_type)
    return shown(record_type, getattr(obj, "custom", None), actor=user, fields=fields)


CUSTOM_IN = Field(
    {}, description="The custom fields' values by key (GET /api/v1/custom-fields lists them)."
)
CUSTOM_PATCH = Field(None, description="Only the keys sent change; a null value clears one.")


def custom_out(record_type: str) -> type[Schema]:
    """The base of a record's answer: its `custom` object as the reader may see it."""

    def resolve_custom(obj, context):
        return custom_of(record_type, obj, context)

    return type(
        f"{record_type.title()}CustomValues",
        (Schema,),
        {
            "__annotations__": {"custom": dict[str, Any]},
            "custom": Field({}, description="Custom field values by key, as you may see them."),
            "resolve_custom": staticmethod(resolve_custom),
        },
    )


class CustomFieldFilter(Schema):
    record_type: RecordType | None = None
    archived: bool = Field(False, description="true: the archived fields too.")


class DeleteParams(Schema):
    confirm: str = Field(max_length=40, description="The field's key, typed again.")


class FieldMappingIn(InputSchema):
    source_key: str = Field(
        max_length=40, description="A lead custom field's key, or a built-in lead field's name."
    )
    target_type: RecordType = Field(description="customer, contact or deal.")
    target_key: str = Field(max_length=40, description="A custom field of the target type.")


class FieldMappingOut(Schema):
    id: int
    source_key: str
    target_type: RecordType
    target_key: str
    created_at: datetime


class LayoutSectionIn(InputSchema):
    label_zh: str = Field("", max_length=80)
    label_en: str = Field("", max_length=80)
    fields: list[str] = Field(
        [], description="Field names in order: a built-in form field, or `custom.<key>`."
    )


class LayoutIn(InputSchema):
    sections: list[LayoutSectionIn] = Field(
        [], description="In order; fields no section places show in a last default section."
    )
    hidden: list[str] = Field(
        [],
        description="Fields not shown on forms and pages (the API still takes and answers "
        "them); a field the system needs cannot be hidden (see `fields[].hideable`).",
    )
    version: int | None = None


class LayoutSectionOut(Schema):
    label_zh: str
    label_en: str
    fields: list[str]


class LayoutFieldOut(Schema):
    name: str
    label: str
    built_in: bool
    hideable: bool
    hidden: bool


class LayoutOut(Schema):
    record_type: RecordType
    pipeline_id: int | None = Field(None, description="Deals: the pipeline it is for.")
    inherited: bool = Field(description="A pipeline without its own layout: the deals' one.")
    saved: bool
    version: int | None
    sections: list[LayoutSectionOut]
    hidden: list[str]
    fields: list[LayoutFieldOut] = Field(description="Every field the forms may hold.")


class LayoutFilter(Schema):
    record_type: RecordType | None = None


class LayoutTarget(Schema):
    pipeline_id: int | None = Field(None, description="Deals only: a pipeline's own layout.")
