"""Predicates (django-rules) that the access rules are built from."""

import rules

from . import scopes


@rules.predicate
def is_signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def has_role(*roles):
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user):
        return is_signed_in(user) and bool(user.roles & wanted)

    return predicate


@rules.predicate
def referral_shared_with_police(user, record):
    """True for a referral the council has shared with police, and for a
    person with such a referral (and for "any", when none is asked about):
    the same rule as scopes._referrals and scopes._people."""
    if record is None:
        return True
    if hasattr(record, "police_shared_at"):
        return record.police_shared_at is not None
    return record.referrals.filter(police_shared_at__isnull=False).exists()


@rules.predicate
def on_case_team(user, case):
    """True if `user` is currently on the team of `case` (a Channel case, or a
    record with a `case`), and for "any case" when none is asked about."""
    if case is None:
        return True
    case_id = getattr(case, "case_id", None) or case.pk
    return user.case_memberships.filter(case_id=case_id, removed_at__isnull=True).exists()


@rules.predicate
def on_current_agenda(user, case):
    """True if `case` is on the agenda of a meeting `user` is invited to, and
    that meeting is not cancelled nor more than PANEL_CASE_ACCESS_DAYS past."""
    if case is None:
        return True
    case_id = getattr(case, "case_id", None) or case.pk
    return scopes.agenda_case_ids(user).filter(case_id=case_id).exists()


@rules.predicate
def invited_to_meeting(user, meeting):
    """True if `user` is invited to `meeting` (or for "any meeting")."""
    if meeting is None:
        return True
    meeting = getattr(meeting, "meeting", meeting)
    return scopes.meetings_invited_to(user).filter(pk=meeting.pk).exists()


@rules.predicate
def investigating_complaint(user, complaint):
    """True if `user` is the investigating officer of `complaint` (or of the
    complaint a record belongs to), and for "any complaint" when none is
    asked about: the same rule as scopes._complaints."""
    if complaint is None:
        return True
    complaint = getattr(complaint, "complaint", complaint)
    return complaint.investigator_id == user.pk


@rules.predicate
def in_own_organisation(user, record):
    """True if `record` (a learner, or a record with a `learner`) belongs to
    `user`'s own organisation, and for "any learner" when none is asked
    about: the same rule as scopes._learners."""
    if record is None:
        return True
    learner = getattr(record, "learner", record)
    return learner.organisation_id == user.organisation_id


def _person_of(record):
    """The person a record is about: the record itself, its `person`, or its
    case's person (None for a record about no one, or "any")."""
    if record is None:
        return None
    if hasattr(record, "restricted_at"):
        return record
    for path in ("person", "case"):
        related = getattr(record, path, None)
        if related is not None:
            return _person_of(related)
    return None


@rules.predicate
def record_not_restricted(user, record):
    """False for a record about a person whose processing is restricted
    (UK GDPR Article 18): it may be read, never changed."""
    person = _person_of(record)
    return person is None or person.restricted_at is None
