"""Schema helpers shared by every app."""

from decimal import Decimal
from typing import Generic, TypeVar

from ninja import Schema

T = TypeVar("T")


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
