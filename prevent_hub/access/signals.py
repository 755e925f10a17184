"""Refusals, for the audit trail to record. Access sits below the audit app
(whose screens are themselves access-checked), so it announces a refusal and
audit.receivers writes it, before the request goes any further."""

from django.dispatch import Signal

# Sent with `action` (what was needed) and `obj` (the record, or None) just
# before PermissionDenied is raised.
access_refused = Signal()
