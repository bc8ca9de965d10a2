"""Schema helpers shared by every app."""

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, field_validator

from gendan.core.contact import email_problem, phone_problem, url_problem
from gendan.core.validation import in_utc, invalid

T = TypeVar("T")


class InputSchema(Schema):
    """A request body: a key the schema does not name is refused (422 naming it), never
    dropped, so a misspelled field cannot lose what the caller meant to save."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _moments_in_utc(cls, value):
        """Each moment in UTC before it reaches a query or a row (core/validation.py)."""
        return in_utc(value)


def _checked(problem):
    def check(value: str) -> str:
        value = value.strip()
        message = problem(value)
        if message:
            raise invalid(message)
        return value

    return AfterValidator(check)


# What a request body may hold in an e-mail, phone or website field (core/contact.py).
Email = Annotated[str, _checked(email_problem)]
Phone = Annotated[str, _checked(phone_problem)]
WebAddress = Annotated[str, _checked(url_problem)]


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    # True when there are more rows than `count` (the count stops at GENDAN_COUNT_LIMIT).
    count_capped: bool = False


class CurrencyAmount(Schema):
    """An amount in one currency: totals list one per currency and never add them."""

    currency: str
    amount: Decimal


def patch_data(payload: Schema, *, mode: str = "python") -> tuple[dict, int | None]:
    """The fields a PATCH really sent (minus `version`), and the version it carries; `mode="json"`
    gives plain JSON values (for data stored as JSON)."""
    data = payload.model_dump(mode=mode, exclude_unset=True)
    version = data.pop("version", None)
    return data, version


class ErrorOut(Schema):
    """Every error answer: `detail` says what went wrong, `errors` names each bad field (422);
    some errors add facts of their own (a 409's `current_version`, a move's `missing_fields`)."""

    model_config = ConfigDict(extra="allow")

    detail: str
    errors: dict[str, str] = {}
