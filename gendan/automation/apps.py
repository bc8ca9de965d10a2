from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "gendan.automation"
    label = "automation"

    def ready(self):
        from gendan.automation import channels, tasks_risk  # noqa: F401  (the daily risk pass)

        channels.register()
