"""The outbox between the domain and whoever reacts to it.

A domain service that wrote something calls `emit(record, trigger, ...)`. The event is handed
to every subscriber once the transaction commits, so nothing that reacts (automation rules,
the risk recomputation) runs inside the user's transaction, and a failing subscriber never
fails the user's request. The kernel knows no subscriber: the layers that react register
themselves with `subscribe` when their app is ready, so the domain never imports them.

Triggers: created, updated (changed=[fields]), stage_changed (from_stage_id, to_stage_id,
to_kind) and activity_logged (outcome).
"""

from collections.abc import Callable

from django.db import transaction

Subscriber = Callable[..., None]  # (record, trigger: str, event: dict) -> None

_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Hand every event to `subscriber(record, trigger, event)` after its commit (once)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def emit(record, trigger: str, **event) -> None:
    """`record` was written with `trigger`; None-valued details are left out."""
    event = {key: value for key, value in event.items() if value is not None}
    if "changed" in event:
        names = set(event["changed"])
        names |= {name.removesuffix("_id") for name in names}  # "owner_id" is also "owner"
        event["changed"] = sorted(names)

    def deliver() -> None:
        for subscriber in tuple(_subscribers):
            subscriber(record, trigger, event)

    transaction.on_commit(deliver, robust=True)
