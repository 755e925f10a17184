from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Synthetic, obviously fictional data at council and national scale, made
    in bulk for benchmarks (`manage.py generate_synthetic`). The top layer: it
    reads every app's models and nothing imports it."""

    name = "prevent_hub.synthetic"
    verbose_name = "Synthetic data"
