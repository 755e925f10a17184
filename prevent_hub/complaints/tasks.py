"""Background jobs for complaints. Arguments are ids: nothing personal waits
in the task queue. Emails to staff give a reference and a link, never what
the complaint says (that stays behind sign-in)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from prevent_hub.core.scheduler import schedule


def _base_url() -> str:
    return (settings.SERVICE_BASE_URL or "http://127.0.0.1:8000").rstrip("/")


def _email(template: str, context: dict, to: list[str]):
    """Send complaints/emails/<template>.txt, its subject from <template>_subject.txt."""
    context = {**context, "service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME}
    subject = "".join(render_to_string(f"complaints/emails/{template}_subject.txt", context).splitlines())
    body = render_to_string(f"complaints/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@task()
def complaint_acknowledgement_send(*, complaint_id: int) -> bool:
    """Acknowledge an online complaint by email: its reference and the
    dates the complainant can expect (the acknowledgement template, kept as
    a letter). Returns whether an email was sent."""
    from .services import acknowledgement_record_sent

    letter = acknowledgement_record_sent(complaint_id=complaint_id)
    if letter is None:
        return False
    send_mail(letter.subject, letter.body, settings.DEFAULT_FROM_EMAIL, [letter.complaint.email])
    return True


@task()
def complaint_letter_send(*, letter_id: int) -> bool:
    """Email a letter to the complainant, as the officer worded it."""
    from .models import Letter

    letter = Letter.objects.filter(pk=letter_id).select_related("complaint").first()
    if letter is None or not letter.complaint.email:
        return False
    send_mail(letter.subject, letter.body, settings.DEFAULT_FROM_EMAIL, [letter.complaint.email])
    return True


@task()
def investigator_assigned_send(*, complaint_id: int) -> bool:
    """Tell an investigating officer a complaint is theirs to investigate."""
    from .models import Complaint

    complaint = Complaint.objects.filter(pk=complaint_id).select_related("investigator").first()
    if complaint is None or complaint.investigator is None or not complaint.investigator.is_active:
        return False
    link = _base_url() + reverse("complaints:complaint", kwargs={"reference": complaint.reference})
    _email("investigator_assigned", {"complaint": complaint, "link": link}, [complaint.investigator.email])
    return True


def reminders_due(today: datetime.date):
    """(complaint, kind, deadline) for every reminder due today and not yet
    sent: a deadline COMPLAINT_REMINDER_WORKING_DAYS working days away or
    nearer, or passed. Each reminder goes once per deadline."""
    from prevent_hub.core.working_days import WorkingCalendar

    from .models import OPEN, Complaint, ReminderKind

    calendar = WorkingCalendar.load()
    soon = calendar.add_working_days(today, settings.COMPLAINT_REMINDER_WORKING_DAYS)
    complaints = list(Complaint.objects.filter(status__in=OPEN).select_related("owner", "investigator")
                      .prefetch_related("reminders"))
    for complaint in complaints:
        sent = {(reminder.kind, reminder.deadline) for reminder in complaint.reminders.all()}
        wanted = []
        if complaint.acknowledged_on is None:
            if complaint.acknowledge_by < today:
                wanted.append((ReminderKind.ACKNOWLEDGE_OVERDUE, complaint.acknowledge_by))
            elif complaint.acknowledge_by <= soon:
                wanted.append((ReminderKind.ACKNOWLEDGE_DUE, complaint.acknowledge_by))
        due = complaint.response_due
        if due < today:
            wanted.append((ReminderKind.RESPOND_OVERDUE, due))
        elif due <= soon:
            wanted.append((ReminderKind.RESPOND_DUE, due))
        for kind, deadline in wanted:
            if (kind, deadline) not in sent:
                yield complaint, kind, deadline


def complaint_reminders_send(today: datetime.date | None = None) -> int:
    """Email each open complaint's owner and investigating officer about
    deadlines due soon or passed, once per deadline. Returns how many
    reminders were sent."""
    from .models import Reminder, ReminderKind

    today = today or timezone.localdate()
    count = 0
    for complaint, kind, deadline in list(reminders_due(today)):
        recipients = sorted({user.email for user in (complaint.owner, complaint.investigator)
                             if user is not None and user.is_active})
        if not recipients:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(complaint=complaint, kind=kind, deadline=deadline,
                                        sent_at=timezone.now())
        except IntegrityError:
            continue  # another worker sent it
        link = _base_url() + reverse("complaints:complaint", kwargs={"reference": complaint.reference})
        _email("reminder", {"complaint": complaint, "kind": ReminderKind(kind), "deadline": deadline,
                            "overdue": deadline < today, "link": link}, recipients)
        count += 1
    return count


@task()
def complaint_reminders_send_task() -> int:
    """Daily: remind owners and investigating officers of deadlines."""
    return complaint_reminders_send()


schedule(complaint_reminders_send_task, every=datetime.timedelta(days=1))
