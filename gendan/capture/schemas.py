"""The API's shapes of public lead forms."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from ninja import Schema
from pydantic import Field

from gendan.capture.models import CapturedLead
from gendan.core.schemas import InputSchema
from gendan.leads.choices import LeadSource
from gendan.leads.schemas import LeadOut


class FormFieldIn(InputSchema):
    field: str = Field(max_length=60, description="A built-in lead field or custom.<key>.")
    required: bool = False
    label_zh: str = Field("", max_length=80, description="Empty: the field's own label.")
    label_en: str = Field("", max_length=80)


class FormFieldOut(Schema):
    field: str
    required: bool
    label_zh: str = ""
    label_en: str = ""


class LeadFormIn(InputSchema):
    name: str = Field(min_length=1, max_length=120)
    is_active: bool = True
    fields: list[FormFieldIn] = Field(description="In the order shown; name is always asked.")
    source: LeadSource = LeadSource.WEB_FORM
    tags: list[str] = Field([], description="Stamped on every lead the form makes.")
    owner_id: int = Field(description="Who new leads belong to before the assignment rules.")
    title_zh: str = Field("", max_length=120)
    title_en: str = Field("", max_length=120)
    thanks_zh: str = Field("", max_length=500)
    thanks_en: str = Field("", max_length=500)
    redirect_url: str = Field("", max_length=500)


class LeadFormPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    is_active: bool | None = None
    fields: list[FormFieldIn] | None = None
    source: LeadSource | None = None
    tags: list[str] | None = None
    owner_id: int | None = None
    title_zh: str | None = Field(None, max_length=120)
    title_en: str | None = Field(None, max_length=120)
    thanks_zh: str | None = Field(None, max_length=500)
    thanks_en: str | None = Field(None, max_length=500)
    redirect_url: str | None = Field(None, max_length=500)
    version: int | None = None


class LeadFormOut(Schema):
    id: int
    name: str
    token: str
    url: str
    is_active: bool
    archived_at: datetime | None
    fields: list[FormFieldOut]
    source: LeadSource
    tags: list[str]
    owner_id: int
    title_zh: str
    title_en: str
    thanks_zh: str
    thanks_en: str
    redirect_url: str
    submissions_count: int
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_url(obj) -> str:
        path = reverse("capture_public:form", args=[obj.token])
        return settings.GENDAN_BASE_URL.rstrip("/") + path


class LeadFormFilter(Schema):
    archived: bool = Field(False, description="true: the archived forms too.")


class ArchiveIn(InputSchema):
    archived: bool = True


def _captured(lead) -> CapturedLead | None:
    try:
        return lead.captured
    except CapturedLead.DoesNotExist:
        return None


class LeadWithFormOut(LeadOut):
    """A lead as the API answers it: with the public form that made it, if one did. Read
    with `selectors.with_source_forms` (a list) or `with_source_form` (one lead)."""

    form_id: int | None = Field(None, description="The lead form that made the lead; null if none.")
    form_name: str | None = None

    @staticmethod
    def resolve_form_id(obj) -> int | None:
        link = _captured(obj)
        return link.form_id if link else None

    @staticmethod
    def resolve_form_name(obj) -> str | None:
        link = _captured(obj)
        return link.form.name if link else None
