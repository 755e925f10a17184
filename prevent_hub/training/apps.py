from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "prevent_hub.training"
    label = "training"
    verbose_name = "Training records"
