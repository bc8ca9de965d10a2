from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "gendan.deals"
    label = "deals"
