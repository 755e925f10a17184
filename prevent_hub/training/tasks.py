"""Background jobs for training records: a daily reminder to each learner
whose Prevent training is about to run out.

A learner is reminded TRAINING_REMINDER_DAYS before a completion's refresh
date, once per completion (CompletionReminder is one per completion: the
row is claimed before the email goes, so a second run, or two running at
once, send nothing more). Only a completion that still keeps someone in
date is reminded about: the learner's latest of a course that counts, not
one already followed by a newer completion of that course or of a refresher
of it (nor a refresher followed by a newer one of the course it refreshes);
nobody who has left their organisation; and never while the demo loads."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from prevent_hub.core.demo import demo_loading
from prevent_hub.core.scheduler import schedule

# The import jobs live beside the pages that start them; importing them here
# is how the scheduler (which reads each app's `tasks`) finds their cleanup.
from . import import_tasks  # noqa: F401

logger = logging.getLogger(__name__)
# The directory contact for the Home Office e-learning (directory/defaults.py).
TRAINING_CONTACT = "prevent-training"


def _base_url() -> str:
    return (settings.SERVICE_BASE_URL or "http://127.0.0.1:8000").rstrip("/")


def reminders_due(today: datetime.date):
    """Completions whose learner should be reminded today and has not been:
    refresh date from today to TRAINING_REMINDER_DAYS ahead, of a course
    that counts, the learner's latest of that course and its refreshers,
    the learner still with their organisation. One query."""
    from .models import Completion

    until = today + datetime.timedelta(days=settings.TRAINING_REMINDER_DAYS)
    # A course and its refreshers are one family, named by the course refreshed.
    family = Coalesce("course__renews_id", "course_id")
    newer = (Completion.objects.annotate(family=family)
             .filter(learner_id=OuterRef("learner_id"), family=OuterRef("family"))
             .filter(Q(completed_on__gt=OuterRef("completed_on"))
                     | Q(completed_on=OuterRef("completed_on"), pk__gt=OuterRef("pk"))))
    return (Completion.objects.annotate(family=family)
            .filter(expires_on__gte=today, expires_on__lte=until, course__counts_for_compliance=True,
                    reminder__isnull=True)
            .filter(Q(learner__left_on__isnull=True) | Q(learner__left_on__gt=today))
            .exclude(Exists(newer))
            .select_related("course", "learner__user")
            .order_by("expires_on", "pk"))


def _own_record_link(learner) -> str:
    """Where the learner records their training themselves, if they can sign in."""
    user = learner.user
    if user is None or not user.is_active:
        return ""
    try:
        return _base_url() + reverse("training:own")
    except NoReverseMatch:
        return ""


def _training_contact():
    from prevent_hub.directory.selectors import contacts_by_key

    return contacts_by_key().get(TRAINING_CONTACT)


def _email(completion, *, contact):
    context = {
        "learner": completion.learner, "course": completion.course, "expires_on": completion.expires_on,
        "completed_on": completion.completed_on, "contact": contact,
        "own_record_link": _own_record_link(completion.learner),
        "service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME,
    }
    subject = "".join(render_to_string("training/emails/reminder_subject.txt", context).splitlines())
    body = render_to_string("training/emails/reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [completion.learner.email])


def completion_remind(completion, *, contact=None) -> bool:
    """Claim `completion`'s reminder and send it. False, sending nothing,
    when another run has claimed it already."""
    from .models import CompletionReminder

    try:
        with transaction.atomic():
            claim = CompletionReminder.objects.create(completion=completion, sent_at=timezone.now())
    except IntegrityError:
        return False  # another run sent it
    try:
        _email(completion, contact=contact)
    except Exception:
        # Not sent: give the claim back, so tomorrow's run tries again.
        CompletionReminder.objects.filter(pk=claim.pk).delete()
        raise
    return True


def completion_reminders_send(today: datetime.date | None = None) -> int:
    """Remind every learner due a reminder today. Returns how many were sent."""
    if demo_loading():
        return 0
    today = today or timezone.localdate()
    due = list(reminders_due(today))
    if not due:
        return 0
    contact = _training_contact()
    sent = 0
    for completion in due:
        try:
            sent += completion_remind(completion, contact=contact)
        except Exception:
            # One address the mail server refuses must not stop the others.
            logger.exception("Could not send the training reminder for completion %s", completion.pk)
    return sent


@task()
def completion_reminders_send_task() -> int:
    """Daily: remind learners whose training is about to run out."""
    return completion_reminders_send()


schedule(completion_reminders_send_task, every=datetime.timedelta(days=1))
