from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "prevent_hub.assurance"
    label = "assurance"
    verbose_name = "Prevent duty assurance"
