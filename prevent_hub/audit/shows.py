"""What record a staff page shows, declared beside the access action it needs.

    @requires(Action.CASE_VIEW)
    @shows("channel.channelcase", part="notes")
    def case_notes(request, pk): ...

(`shows_many` for lists and exports, `shows_nothing_personal` with a reason.)

AuditContextMiddleware reads the declaration: every answer of 200 from a view
that shows a record writes a view event for it (unless the view already wrote
one for the same record, with details of its own), naming the part of the
record shown; a 404 from it is a refused look-up, audited with flood control
(services.audit_refusal). Pages that show no personal data say why, with
`shows_nothing_personal`. tests/test_url_role_matrix.py walks every staff URL
as every role and fails when a view declares nothing, or answers 200 without
the event.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Shows:
    # "app_label.modelname" of the record, or "" when the page shows nothing personal.
    record: str
    # The URL keyword naming the record, and the field it is matched on.
    kwarg: str = "pk"
    lookup: str = "pk"
    # Which part of the record the page shows, in the auditor's words.
    part: str = ""
    why_nothing_personal: str = ""
    # A list, search or export of such records rather than one of them.
    many: bool = False


def _declare(declaration: Shows):
    def decorate(view):
        # Class-based views carry it on the class; function views on themselves
        # (wraps() in access.requires copies it to the wrapper's __dict__).
        view.audit_shows = declaration
        return view

    return decorate


def shows(record: str, *, part: str, kwarg: str = "pk", lookup: str = "pk"):
    """The page shows (part of) the record named by URL keyword `kwarg`."""
    if not record or not part:
        raise ValueError("Say which record a page shows, and which part of it")
    return _declare(Shows(record=record.lower(), kwarg=kwarg, lookup=lookup, part=part))


def shows_many(record: str, *, part: str):
    """The page lists (or exports) records of this kind. It writes its own
    search or export event, naming the criteria, whenever it lists any."""
    if not record or not part:
        raise ValueError("Say which kind of record a page lists, and what the list is")
    return _declare(Shows(record=record.lower(), kwarg="", part=part, many=True))


def shows_nothing_personal(why: str):
    """The page shows no personal data (say why): no view event is written."""
    if not why:
        raise ValueError("Say why the page shows nothing personal")
    return _declare(Shows(record="", why_nothing_personal=why))


def view_shows(view_func) -> Shows | None:
    """The declaration of a view (function or class view), or None."""
    declared = getattr(view_func, "audit_shows", None)
    if declared is None:
        declared = getattr(getattr(view_func, "view_class", None), "audit_shows", None)
    return declared
