"""Demo people: the coordinator identifies the person behind each demo
referral that says so (referrals.demo, which runs first), recording a new
person record from the referral. The rest are left for "Identify the person",
so the demo shows repeat referrals waiting to be joined up. All invented."""

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.referrals.demo import demo_referral, demos

from .services import person_create_from_referral


def load():
    coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
    for number, demo in enumerate(demos(), start=1):
        if demo.identify:
            person_create_from_referral(referral=demo_referral(number), acting_user=coordinator)
