from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "gendan.history"
    label = "history"
