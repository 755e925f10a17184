from django.apps import AppConfig


class ChannelConfig(AppConfig):
    name = "prevent_hub.channel"
    label = "channel"
    verbose_name = "Channel"

    def ready(self):
        from . import receivers  # noqa: F401 - connects Channel's receivers
