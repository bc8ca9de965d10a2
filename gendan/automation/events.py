"""The one entry point services call after a write: `record_event(record, trigger, ...)`.

It schedules the engine for after the transaction commits, so rules never run inside the
user's transaction and a failing rule never fails the user's request.
"""

from django.db import transaction


def record_event(record, trigger: str, **event) -> None:
    """`trigger`: created, updated (changed=[fields]), stage_changed (from_stage_id,
    to_stage_id, to_kind) or activity_logged (outcome)."""
    from gendan.automation.records import object_of

    obj, record_id = object_of(record), record.pk
    event = {key: value for key, value in event.items() if value is not None}
    if "changed" in event:
        names = set(event["changed"])
        names |= {name.removesuffix("_id") for name in names}  # "owner_id" is also "owner"
        event["changed"] = sorted(names)

    def run() -> None:
        from gendan.automation import engine

        engine.handle_event(obj=obj, record_id=record_id, trigger=trigger, event=event)

    transaction.on_commit(run, robust=True)
