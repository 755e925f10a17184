from django.apps import AppConfig


class GovukConfig(AppConfig):
    name = "prevent_hub.govuk"
    label = "govuk"
    verbose_name = "GOV.UK Frontend"
