"""Demo records management: a legal hold the demo complaints officer placed
on a demo Channel case from the demo complaint about it, and one past
preview run by the data protection officer, so the holds and run pages have
something to show. Nothing is deleted when the demo loads."""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as
from prevent_hub.complaints.models import Complaint

from .models import HoldKind, RunTrigger
from .selectors import Found
from .services import legal_hold_place, retention_run


def load():
    dpo = User.objects.get(email=f"dpo@{DEMO_DOMAIN}")
    complaints_officer = User.objects.get(email=f"complaints@{DEMO_DOMAIN}")
    today = timezone.localdate()
    # The demo complaint about a Channel case holds the case while it is open.
    complaint = Complaint.objects.filter(case__isnull=False).select_related("case").first()
    if complaint is not None:
        with acting_as(complaints_officer):
            legal_hold_place(
                found=Found(case=complaint.case), kind=HoldKind.COMPLAINT, complaint=complaint,
                reason=f"Complaint {complaint.reference} concerns this case and is not yet closed.",
                ends_on=today + datetime.timedelta(days=180), acting_user=complaints_officer)
    with acting_as(dpo):
        retention_run(as_of=today, dry_run=True, trigger=RunTrigger.PAGE, acting_user=dpo)
