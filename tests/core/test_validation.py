"""Pydantic's errors as `{dotted path: message}` in the active language."""

from django.utils import translation
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from gendan.core.validation import error_messages, invalid


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int
    name: str

    @field_validator("name")
    @classmethod
    def _not_x(cls, name: str) -> str:
        if name == "x":
            raise invalid("Not x.", key="first")
        return name


class Order(BaseModel):
    items: list[Item]


def _errors(data) -> list[dict]:
    try:
        Order.model_validate(data)
    except ValidationError as exc:
        return exc.errors()
    raise AssertionError("valid")


def test_paths_are_dotted_and_unknown_keys_named_on_their_own_path():
    errors = _errors({"items": [{"count": "many", "name": "x", "size": 1, "colour": 2}]})
    with translation.override("en"):
        messages = error_messages(errors)
    assert messages == {
        "items.0.count": "Give a whole number.",
        "items.0.name.first": "Not x.",
        "items.0.colour": "Unknown field.",
        "items.0.size": "Unknown field.",
    }


def test_messages_follow_the_active_language():
    errors = _errors({"items": [{"count": 1}]})
    with translation.override("zh-hans"):
        assert error_messages(errors) == {"items.0.name": "此字段为必填项。"}
    with translation.override("en"):
        assert error_messages(errors, path=lambda loc: loc[1:]) == {
            "0.name": "This field is required."
        }
