from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "gendan.automation"
    label = "automation"
