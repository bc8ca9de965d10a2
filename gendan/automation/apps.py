from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "gendan.automation"
    label = "automation"

    def ready(self):
        from gendan.automation import channels, events, tasks_risk  # noqa: F401  (daily risk pass)
        from gendan.core import events as outbox

        channels.register()
        outbox.subscribe(events.on_event)
