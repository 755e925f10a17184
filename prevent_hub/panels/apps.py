from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "prevent_hub.panels"
    label = "panels"
    verbose_name = "Channel panels"
