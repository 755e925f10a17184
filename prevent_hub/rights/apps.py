from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "prevent_hub.rights"
    label = "rights"
    verbose_name = "Data protection rights requests"
