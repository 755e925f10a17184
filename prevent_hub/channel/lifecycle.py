"""The named states of a Channel case and the moves between them.

One table, used by the case services (and through them by panel decisions),
so the rules live in one place. A move not in the table is refused with a
message saying what is allowed from where the case is.
"""

from .models import CaseStatus

S = CaseStatus

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SCREENING: frozenset({S.AWAITING_PANEL, S.CLOSED}),
    # The panel may send a case back for more information.
    S.AWAITING_PANEL: frozenset({S.NOT_ADOPTED, S.ADOPTED, S.SCREENING, S.CLOSED}),
    S.NOT_ADOPTED: frozenset({S.CLOSED}),
    S.ADOPTED: frozenset({S.CONSENT_SOUGHT, S.CLOSED}),
    S.CONSENT_SOUGHT: frozenset({S.CONSENT_GIVEN, S.CONSENT_REFUSED, S.CLOSED}),
    # Consent can be withdrawn before support starts.
    S.CONSENT_GIVEN: frozenset({S.SUPPORT, S.CONSENT_REFUSED, S.CLOSED}),
    # At the re-assessment date the panel may seek consent again.
    S.CONSENT_REFUSED: frozenset({S.CONSENT_SOUGHT, S.CLOSED}),
    # Withdrawal stops support; exit is the panel's decision.
    S.SUPPORT: frozenset({S.CONSENT_REFUSED, S.EXITED, S.CLOSED}),
    S.EXITED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

OPEN_STATUSES = frozenset(status for status in CaseStatus if status != S.CLOSED)

# Statuses in which a case has panel reviews: support under way, and consent
# refused or withdrawn (the "re-assessment review" at the re-assessment date).
REVIEWABLE_STATUSES = frozenset({S.SUPPORT, S.CONSENT_REFUSED})


def allowed_from(status: str) -> list[CaseStatus]:
    """The statuses a case may move to from `status`, in lifecycle order."""
    allowed = ALLOWED_TRANSITIONS[status]
    return [candidate for candidate in CaseStatus if candidate in allowed]


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def refusal_message(from_status: str, to_status: str) -> str:
    allowed = allowed_from(from_status)
    where = CaseStatus(from_status).label.lower()
    target = CaseStatus(to_status).label.lower()
    if not allowed:
        return f"This case is closed: it cannot move to ‘{target}’"
    options = ", ".join(f"‘{status.label.lower()}’" for status in allowed)
    return f"A case that is ‘{where}’ cannot move to ‘{target}’. From here it can move to: {options}"
