from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import transaction

from prevent_hub.audit.services import audit_pending_write


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, also writing the request's audited reads
    (audit.services.audit_read) before the response leaves.

    They are written inside the session update's own transaction (see
    models.Session.save): an audited page then costs no extra commit. When the
    session is not saved (a visitor without one), they are written on their own.
    An error writing them replaces the response, so no read goes unrecorded.
    """

    def process_response(self, request, response):
        pending = getattr(request, "audit_pending", None)
        if pending and hasattr(request, "session"):
            request.session.audit_pending = pending
        response = super().process_response(request, response)
        if pending:
            with transaction.atomic():
                audit_pending_write(pending)
        return response
