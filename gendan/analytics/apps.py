from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "gendan.analytics"
    label = "analytics"
