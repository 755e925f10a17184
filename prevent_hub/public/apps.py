from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "prevent_hub.public"
    label = "public"
    verbose_name = "Public information"
