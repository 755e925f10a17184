from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "prevent_hub.records"
    label = "records"
    verbose_name = "Records management"

    def ready(self):
        from . import receivers  # noqa: F401 - carries out accepted erasure requests
