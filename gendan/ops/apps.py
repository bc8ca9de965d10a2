from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The operations commands: `run`, `demo`, `tick` and `report`."""

    name = "gendan.ops"
    label = "ops"
