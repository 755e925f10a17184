"""Demo records management: a legal hold the demo data protection officer
placed on a demo Channel case (a fictional complaint), and one past preview
run, so the holds and run pages have something to show. Nothing is deleted
when the demo loads."""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as
from prevent_hub.channel.models import ChannelCase

from .models import HoldKind, RunTrigger
from .selectors import Found
from .services import legal_hold_place, retention_run


def load():
    dpo = User.objects.get(email=f"dpo@{DEMO_DOMAIN}")
    case = ChannelCase.objects.order_by("opened_at", "pk").first()
    today = timezone.localdate()
    with acting_as(dpo):
        if case is not None:
            legal_hold_place(
                found=Found(case=case), kind=HoldKind.COMPLAINT,
                reason="Demo: complaint COMP-DEMO-0001 about how the referral was handled is open.",
                ends_on=today + datetime.timedelta(days=180), acting_user=dpo)
        retention_run(as_of=today, dry_run=True, trigger=RunTrigger.PAGE, acting_user=dpo)
