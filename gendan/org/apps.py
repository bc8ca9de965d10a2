from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "gendan.org"
    label = "org"
