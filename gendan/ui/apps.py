from django.apps import AppConfig


class UiConfig(AppConfig):
    """The UI kit: form widgets, dialogs, list helpers and the formatting filters (`gendan`
    template library) that every page uses."""

    name = "gendan.ui"
    label = "ui"
