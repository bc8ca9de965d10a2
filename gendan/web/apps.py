from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gendan.web"
    label = "web"
