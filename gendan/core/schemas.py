"""Schema helpers shared by every app."""

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from ninja import Schema
from pydantic import AfterValidator, ConfigDict

from gendan.core.contact import email_problem, phone_problem, url_problem
from gendan.core.validation import invalid

T = TypeVar("T")


class InputSchema(Schema):
    """A request body: a key the schema does not name is refused (422 naming it), never
    dropped, so a misspelled field cannot lose what the caller meant to save."""

    model_config = ConfigDict(extra="forbid")


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
