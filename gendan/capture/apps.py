from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "gendan.capture"
    label = "capture"
