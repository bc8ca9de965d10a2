"""What automation does with the domain's events (from the kernel's outbox, core/events.py):
a follow-up first recomputes its subject's risk, then every event runs the matching rules.
Subscribed when the app is ready (apps.py)."""

from gendan.automation import engine, risk
from gendan.automation.records import object_of
from gendan.history import context as history_context
from gendan.history.choices import Via


def on_event(record, trigger: str, event: dict) -> None:
    # What automation writes is its own, even inside the request that caused the event.
    with history_context.within(Via.AUTOMATION):
        if trigger == "activity_logged":
            risk.after_follow_up(record._meta.model_name, record.pk)
        engine.handle_event(
            obj=object_of(record), record_id=record.pk, trigger=trigger, event=event
        )
