from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "gendan.sales"
    label = "sales"
