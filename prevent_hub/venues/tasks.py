"""Background jobs for venue bookings. Arguments are ids: nothing personal
waits in the task queue, and the booker's secret link is made by the task
that emails it."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from prevent_hub.core.scheduler import schedule


def _base_url() -> str:
    return (settings.SERVICE_BASE_URL or "http://127.0.0.1:8000").rstrip("/")


def _email(template: str, context: dict, to: str):
    """Send venues/emails/<template>.txt, its subject from <template>_subject.txt."""
    context = {**context, "service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME}
    subject = "".join(render_to_string(f"venues/emails/{template}_subject.txt", context).splitlines())
    body = render_to_string(f"venues/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _booking_link_email(booking_id: int, template: str) -> bool:
    """Issue the booker a new secret link (replacing any earlier one) and
    email it with `template`."""
    from .services import booking_link_issue

    issued = booking_link_issue(booking_id=booking_id)
    if issued is None:
        return False
    booking, token = issued
    link = _base_url() + reverse("venue-hire:booking", kwargs={"token": token})
    _email(template, {"booking": booking, "link": link}, booking.booker_email)
    return True


@task()
def booking_acknowledgement_send(*, booking_id: int) -> bool:
    """Tell the booker we have their request: its reference, what happens
    next, and their secret link to see its progress, change it, withdraw it
    or appeal. Issuing the link replaces any earlier one. Returns whether
    an email was sent."""
    return _booking_link_email(booking_id, "acknowledgement")


@task()
def booking_link_resend(*, booking_id: int) -> bool:
    """Send the booker a new secret link to their booking, when they asked
    for one because they lost theirs ("lost your link?"). The new link
    replaces the old one, which stops working. Returns whether an email was
    sent."""
    return _booking_link_email(booking_id, "link")


@task()
def booking_letter_send(*, letter_id: int) -> bool:
    """Email a letter to the booker, as the officer worded it."""
    from .models import Letter

    letter = Letter.objects.filter(pk=letter_id).select_related("booking").first()
    if letter is None:
        return False
    send_mail(letter.subject, letter.body, settings.DEFAULT_FROM_EMAIL, [letter.booking.booker_email])
    return True


@task()
def booking_draft_resume_link_send(*, draft_id: int) -> bool:
    """Email the secret link back to a booking request not yet sent. The
    token is made here; the email says nothing of what was written. Returns
    whether an email was sent."""
    from prevent_hub.core.formatting import govuk_date

    from .drafts import booking_draft_token_issue

    issued = booking_draft_token_issue(draft_id=draft_id)
    if issued is None:
        return False
    draft, token = issued
    if not draft.email:
        return False
    link = _base_url() + reverse("venue-hire:request-resume", kwargs={"token": token})
    _email("resume_link", {"link": link, "expires": govuk_date(draft.expires_at)}, draft.email)
    return True


@task()
def booking_drafts_expire_task() -> int:
    """Delete booking request drafts past their expiry, with their files."""
    from .drafts import booking_drafts_expire

    return booking_drafts_expire()


schedule(booking_drafts_expire_task, every=datetime.timedelta(hours=1))


@task()
def booking_escalation_notify(*, escalation_id: int) -> int:
    """Tell whoever gives the Prevent lead's advice that a booking is
    escalated to them: its reference and a staff link, nothing more (the
    reasons stay behind sign-in). Returns how many were emailed."""
    from prevent_hub.access import Action
    from prevent_hub.access.policy import ROLE_MATRIX
    from prevent_hub.accounts.models import User

    from .models import Escalation

    escalation = Escalation.objects.filter(pk=escalation_id).select_related("booking").first()
    if escalation is None:
        return 0
    reference = escalation.booking.reference
    recipients = sorted(set(User.objects.filter(
        is_active=True, role_assignments__role__in=ROLE_MATRIX[Action.VENUE_BOOKING_ADVISE],
    ).values_list("email", flat=True)))
    context = {
        "reference": reference,
        "link": _base_url() + reverse("venues:booking", kwargs={"reference": reference}),
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
    }
    subject = "".join(render_to_string("venues/booking/emails/escalated_subject.txt", context).splitlines())
    body = render_to_string("venues/booking/emails/escalated.txt", context)
    for email in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(recipients)
