"""Background jobs for accounts. Arguments are ids and plain strings: the
single-use link is made when the email is sent, so no secret waits in the
task queue."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User

PURPOSES = {
    "reset": ("accounts/emails/password_reset_subject.txt", "accounts/emails/password_reset.txt"),
    "set": ("accounts/emails/set_password_subject.txt", "accounts/emails/set_password.txt"),
}


def password_link(user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


@task()
def password_link_email_send(*, user_id: int, purpose: str, base_url: str) -> bool:
    """Email a user a single-use link to set their password. Deactivated (or
    deleted) accounts get nothing. Returns whether an email was sent."""
    subject_template, body_template = PURPOSES[purpose]
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    context = {
        "user": user,
        "link": password_link(user, base_url),
        "expiry": f"{minutes} minute{'s' if minutes != 1 else ''}" if minutes < 120
                  else f"{minutes // 60} hours",
        "reset_url": base_url.rstrip("/") + reverse("accounts:password-reset"),
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
    }
    subject = "".join(render_to_string(subject_template, context).splitlines())
    body = render_to_string(body_template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


@task()
def password_changed_notice_send(*, user_id: int) -> bool:
    """Tell an account holder their password was changed (so a change they did
    not make is noticed). No link, nothing else about the account."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    context = {"user": user, "service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME}
    subject = "".join(render_to_string("accounts/emails/password_changed_subject.txt", context).splitlines())
    send_mail(subject, render_to_string("accounts/emails/password_changed.txt", context),
              settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
