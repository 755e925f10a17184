"""What every kind of draft (a referral or concern, a venue booking request,
a complaint) does the same way: the state a public form keeps in the
browser's session, the secret link back to a draft, removing its files, and
sending it once however often it is sent.

A draft model has `resume_token_hash` (SHA-256 of the link's token, never
the token) and `expires_at`. The token is made by the task that emails the
link, so it never waits in the task queue, and a link works once: opening
it spends the token and the caller emails a fresh link, so a link copied
from someone's inbox later opens nothing.
"""

import hashlib
import logging
import secrets

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


def session_state(request, key) -> dict:
    """What a public form keeps in the browser's session under `key` (the
    draft it is working on, what it has sent), as a copy to read."""
    state = request.session.get(key)
    return dict(state) if isinstance(state, dict) else {}


def session_state_update(request, key, **changes) -> dict:
    """Keep `changes` in the form's session state. Returns the new state."""
    state = {**session_state(request, key), **changes}
    request.session[key] = state
    return state


class DraftGone(Exception):
    """The draft was sent or deleted in the meantime, and nothing was made of it."""


def submission_key_for(draft_id) -> str:
    """What a record made from a draft keeps as its submission_key, so a
    second send of the draft finds it instead of making another."""
    return f"draft:{draft_id}"


def draft_to_send(drafts, draft_id, made):
    """The draft, locked (waiting for a send of it already under way), to
    send: (draft, None). If it has gone, (None, what `made` (the records
    drafts become) holds from it). Raises DraftGone if nothing was. Call in
    the transaction that makes the record and deletes the draft."""
    locked = drafts.select_for_update().filter(pk=draft_id).first()
    if locked is not None:
        return locked, None
    existing = made.filter(submission_key=submission_key_for(draft_id)).first()
    if existing is None:
        raise DraftGone(draft_id)
    return None, existing


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def resume_token_issue(drafts, draft_id) -> tuple[object, str] | None:
    """Make a new secret token for the unexpired draft `draft_id` among
    `drafts` (a model's manager), replacing any earlier one so only the
    newest link works. Returns (draft, token), or None if the draft has gone."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        if not drafts.filter(pk=draft_id, expires_at__gt=timezone.now()).update(
                resume_token_hash=token_hash(token)):
            return None
        return drafts.get(pk=draft_id), token


def resume_token_spend(drafts, token: str):
    """The unexpired draft the token opens, or None; the token is spent (one
    conditional UPDATE, so two clicks at once cannot both open it). Call in
    a transaction that sends the fresh link on commit."""
    if not token or len(token) > 100:
        return None
    draft = drafts.filter(resume_token_hash=token_hash(token), expires_at__gt=timezone.now()).first()
    if draft is None or not drafts.filter(pk=draft.pk, resume_token_hash=token_hash(token)).update(
            resume_token_hash=""):
        return None
    return draft


def draft_file_remove(files, file_id) -> bool:
    """Remove the file `file_id` among a draft's `files` (a related manager),
    its stored file after commit. Returns whether there was one."""
    with transaction.atomic():
        stored = files.filter(pk=file_id).first()
        if stored is None:
            return False
        name = stored.file.name
        stored.delete()
        files_delete_after_commit([name])
    return True


def files_delete_after_commit(names):
    """Delete stored files once the rows that named them are gone for good."""
    names = [name for name in names if name]
    if not names:
        return
    from django.core.files.storage import default_storage

    def delete():
        for name in names:
            # The rows are gone whatever happens here: a file storage cannot
            # delete (object storage unreachable) is logged, never a failed page.
            try:
                default_storage.delete(name)
            except Exception:
                log.exception("Could not delete a stored file after its draft")

    transaction.on_commit(delete)
