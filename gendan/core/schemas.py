"""Schema helpers shared by every app."""

from typing import Generic, TypeVar

from ninja import Schema

T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    count: int


def patch_data(payload: Schema) -> tuple[dict, int | None]:
    """The fields a PATCH really sent (minus `version`), and the version it carries."""
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    return data, version
