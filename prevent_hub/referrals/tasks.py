"""Background jobs for referrals. Arguments are ids: nothing personal waits
in the task queue."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from .models import Referral


@task()
def referral_acknowledgement_send(*, referral_id: int) -> bool:
    """Tell the person who raised a concern that we have it, and its reference.

    Email is not a safe place for what the concern says, so the message holds
    the reference and what happens next, never the name of the person or the
    details. Returns whether an email was sent.
    """
    referral = Referral.objects.filter(pk=referral_id).only("reference", "kind", "referrer_email").first()
    if referral is None or not referral.referrer_email:
        return False
    context = {
        "referral": referral,
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
    }
    subject = "".join(render_to_string("referrals/emails/acknowledgement_subject.txt", context).splitlines())
    body = render_to_string("referrals/emails/acknowledgement.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [referral.referrer_email])
    return True
