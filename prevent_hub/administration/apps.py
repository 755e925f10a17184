from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "prevent_hub.administration"
    label = "administration"
    verbose_name = "Administration"
