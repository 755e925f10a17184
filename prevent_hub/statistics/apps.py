from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "prevent_hub.statistics"
    label = "statistics"
    verbose_name = "Statistics"
