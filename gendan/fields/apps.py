from django.apps import AppConfig


class FieldsConfig(AppConfig):
    name = "gendan.fields"
    label = "fields"
