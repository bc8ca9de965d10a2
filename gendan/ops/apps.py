from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The operations commands: `run`, `demo`, `tick`, `report`, `backup` and `restore`."""

    name = "gendan.ops"
    label = "ops"
