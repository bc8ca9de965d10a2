from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gendan.core"
    label = "core"
    verbose_name = "Gendan core"
