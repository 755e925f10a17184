from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "prevent_hub.staff"
    label = "staff"
    verbose_name = "Staff area"
