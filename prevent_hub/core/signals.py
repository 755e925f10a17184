"""Security events the core sees, for the audit trail to record. The core sits
below the audit app, so it announces them and audit.signals writes them (as
access.signals does for refusals)."""

from django.dispatch import Signal

# Sent with `purpose` (which limit) when a client is refused for reaching a
# rate limit (core.ratelimit).
rate_limited = Signal()
# Sent with `signature` (clamd's name for what it found) and `size` when an
# upload is refused for malware (core.antivirus). Never the file or its name.
malware_found = Signal()
