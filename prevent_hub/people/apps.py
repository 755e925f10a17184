from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "prevent_hub.people"
    label = "people"
    verbose_name = "People"
