from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "gendan.customers"
    label = "customers"
