from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "prevent_hub.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from . import signals  # noqa: F401 - sign-in events
