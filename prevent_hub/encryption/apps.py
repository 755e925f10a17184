from django.apps import AppConfig


class EncryptionConfig(AppConfig):
    name = "prevent_hub.encryption"
    label = "encryption"
    verbose_name = "Encryption of special-category data"
