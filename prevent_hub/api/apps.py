from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "prevent_hub.api"
    label = "api"
    verbose_name = "Partner API"
