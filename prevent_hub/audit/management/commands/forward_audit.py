"""Send sealed audit events not yet forwarded to AUDIT_FORWARD_SYSLOG.

    manage.py forward_audit

The seal_audit loop forwards as it seals; this catches up by hand, for
example after the far side was down for longer than you want to wait, or
after first setting AUDIT_FORWARD_SYSLOG on a trail that already holds
events. It resumes from the stored last-forwarded position (audit.forwarding).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from prevent_hub.audit.forwarding import audit_forward


class Command(BaseCommand):
    help = "Send sealed audit events not yet forwarded to AUDIT_FORWARD_SYSLOG."

    def handle(self, *args, **options):
        if not settings.AUDIT_FORWARD_SYSLOG:
            raise CommandError("AUDIT_FORWARD_SYSLOG is not set: there is nowhere to forward to.")
        try:
            sent = audit_forward()
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not forward to {settings.AUDIT_FORWARD_SYSLOG}: {error}") from error
        self.stdout.write(f"Forwarded {sent:,} audit events")
