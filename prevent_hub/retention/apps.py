from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "prevent_hub.retention"
    label = "retention"
    verbose_name = "Retention policies"
