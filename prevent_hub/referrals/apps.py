from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "prevent_hub.referrals"
    label = "referrals"
    verbose_name = "Referrals"
