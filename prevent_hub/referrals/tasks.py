"""Background jobs for referrals. Arguments are ids: nothing personal waits
in the task queue."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from prevent_hub.core.scheduler import schedule

from .models import Referral, ReferralKind


@task()
def referral_acknowledgement_send(*, referral_id: int, also_tell: list[str] | None = None) -> bool:
    """Tell the person who raised a concern or made a referral that we have
    it, its reference, and the other people the guided questions said to tell
    (`also_tell`: routing rule keys).

    Email is not a safe place for what the concern says, so the message holds
    the reference and what happens next, never the name of the person or the
    details. Returns whether an email was sent.
    """
    from prevent_hub.directory.selectors import routes_for

    referral = Referral.objects.filter(pk=referral_id).only("reference", "kind", "referrer_email").first()
    if referral is None or not referral.referrer_email:
        return False
    context = {
        "referral": referral,
        "what": "concern" if referral.kind == ReferralKind.PUBLIC else "referral",
        "also_tell": routes_for({}, keys=also_tell).sections if also_tell else [],
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
    }
    subject = "".join(render_to_string("referrals/emails/acknowledgement_subject.txt", context).splitlines())
    body = render_to_string("referrals/emails/acknowledgement.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [referral.referrer_email])
    return True


# Drafts -----------------------------------------------------------------------
# (intake forms: save and come back later, and deleting expired drafts)


@task()
def referral_draft_resume_link_send(*, draft_id: str, base_url: str) -> bool:
    """Email the secret link to come back to a draft. The token is made here,
    so it never waits in the task queue; the email says nothing about the
    concern or the person. Returns whether an email was sent."""
    from django.urls import reverse

    from prevent_hub.core.formatting import govuk_date

    from .drafts import referral_draft_token_issue
    from .forms import JOURNEY_BY_KIND

    issued = referral_draft_token_issue(draft_id=draft_id)
    if issued is None:
        return False
    draft, token = issued
    if not draft.email:
        return False
    journey = JOURNEY_BY_KIND[draft.kind]
    context = {
        "link": base_url.rstrip("/") + reverse(f"intake:{journey.prefix}-resume", kwargs={"token": token}),
        "expires": govuk_date(draft.expires_at),
        "what": journey.name,
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
    }
    subject = render_to_string("referrals/intake/emails/resume_link_subject.txt", context)
    subject = "".join(subject.splitlines())
    body = render_to_string("referrals/intake/emails/resume_link.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [draft.email])
    return True


@task()
def referral_drafts_expire_task() -> int:
    """Delete drafts past their expiry date, with their files. Returns how many."""
    from .drafts import referral_drafts_expire

    return referral_drafts_expire()


schedule(referral_drafts_expire_task, every=datetime.timedelta(hours=1))
