from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "prevent_hub.directory"
    label = "directory"
    verbose_name = "Contact directory"
