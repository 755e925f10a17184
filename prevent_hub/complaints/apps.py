from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "prevent_hub.complaints"
    label = "complaints"
    verbose_name = "Complaints"
