from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "prevent_hub.access"
    label = "access"
    verbose_name = "Access rules"
