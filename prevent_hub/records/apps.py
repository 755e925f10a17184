from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "prevent_hub.records"
    label = "records"
    verbose_name = "Records management"
