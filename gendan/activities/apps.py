from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "gendan.activities"
    label = "activities"
