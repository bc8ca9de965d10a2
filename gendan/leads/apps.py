from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "gendan.leads"
    label = "leads"
