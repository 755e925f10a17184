from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "prevent_hub.reporting"
    label = "reporting"
    verbose_name = "Reporting categories"
