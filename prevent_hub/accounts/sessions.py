"""A database session store that records the signed-in user on the row."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    # When the session's row was made (its sign-in, see signals.py), for the
    # absolute lifetime (middleware.AbsoluteSessionLifetimeMiddleware).
    started_at = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.started_at = row.created_at if row is not None else None
        return row

    # Audited reads waiting to be written with this session (see middleware.py).
    audit_pending = None

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        instance.user_id = int(user_id) if user_id is not None else None
        instance.audit_pending = self.audit_pending
        return instance
