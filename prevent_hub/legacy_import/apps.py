from django.apps import AppConfig


class LegacyImportConfig(AppConfig):
    name = "prevent_hub.legacy_import"
    label = "legacy_import"
    verbose_name = "Referral import from earlier records"
