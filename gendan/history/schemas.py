from datetime import datetime
from typing import Any

from ninja import Schema

from gendan.history.choices import Via


class FieldChangeOut(Schema):
    """One field one write changed: `old` and `new` as stored (a foreign key as its id),
    `old_text` and `new_text` as a page shows them, in the reader's language."""

    id: int
    field: str
    label: str
    old: Any = None
    new: Any = None
    old_text: str
    new_text: str
    actor_id: int | None
    actor_name: str | None
    via: Via
    at: datetime

    @staticmethod
    def resolve_actor_name(obj):
        return obj.actor.name if obj.actor_id else None
