from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "gendan.automation"
    label = "automation"

    def ready(self):
        # Here, not at the top: an app's modules that read models load once the registry is
        # ready, and `ready()` is where Django lets an app hook itself in.
        from gendan.automation import channels, events, tasks_risk  # noqa: F401, PLC0415  (daily risk pass)
        from gendan.core import events as outbox  # noqa: PLC0415

        channels.register()
        outbox.subscribe(events.on_event)
