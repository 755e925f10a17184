from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "prevent_hub.venues"
    label = "venues"
    verbose_name = "Venue hire due diligence"
