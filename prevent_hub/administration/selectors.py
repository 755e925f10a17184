"""Reads for the administration screens. Users (personal data) are always read
through `access.scope`; organisations and contacts hold no personal data."""

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from prevent_hub.access import scope
from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import Organisation, RoleAssignment, Session, User
from prevent_hub.accounts.second_factor import has_confirmed_device
from prevent_hub.directory.models import Contact

# A contact's details are due a check when nobody has confirmed them with the
# service for this many months.
CONTACT_CHECK_DUE_AFTER_MONTHS = 6


class UserStatus(StrEnum):
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


@dataclass(frozen=True)
class UserFilters:
    q: str = ""
    organisation: Organisation | None = None
    role: str = ""
    status: str = ""

    def is_filtered(self) -> bool:
        return bool(self.q or self.organisation or self.role or self.status)

    def for_audit(self) -> dict:
        """What was asked for (never what was found), for the SEARCH event."""
        filters = {
            "q": self.q,
            "organisation": self.organisation.pk if self.organisation else None,
            "role": self.role,
            "status": self.status,
        }
        return {name: value for name, value in filters.items() if value}


def user_list(*, user, filters: UserFilters = UserFilters()):
    """The users `user` may see, filtered, with organisation and roles loaded
    in a fixed number of queries (one for the page, one for all its roles)."""
    users = scope(user, User.objects.all()).select_related("organisation").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.only("id", "user_id", "role"),
                 to_attr="role_list")
    )
    for word in filters.q.split():
        users = users.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    if filters.organisation is not None:
        users = users.filter(organisation=filters.organisation)
    if filters.role:
        users = users.filter(role_assignments__role=filters.role)
    if filters.status == UserStatus.ACTIVE:
        users = users.filter(is_active=True)
    elif filters.status == UserStatus.DEACTIVATED:
        users = users.filter(is_active=False)
    return users.order_by("full_name", "email", "pk")


def user_role_labels(listed_user) -> list[str]:
    """Role names of a user from `user_list` (no query: the roles are prefetched)."""
    held = {assignment.role for assignment in listed_user.role_list}
    return [label for value, label in Role.choices if value in held]


def user_get(*, user, pk) -> User:
    return scope(user, User.objects.select_related("organisation")).get(pk=pk)


@dataclass(frozen=True)
class AccountFacts:
    roles: list[str]
    second_factor_set_up: bool
    active_sessions: int


def user_account_facts(subject: User) -> AccountFacts:
    """What the user detail page says about an account beyond its fields."""
    held = set(subject.role_assignments.values_list("role", flat=True))
    return AccountFacts(
        roles=[label for value, label in Role.choices if value in held],
        second_factor_set_up=has_confirmed_device(subject),
        active_sessions=Session.objects.filter(
            user=subject, expire_date__gt=timezone.now()
        ).count(),
    )


def organisation_list():
    """Every organisation with its number of users (all and active), in one query."""
    return Organisation.objects.annotate(
        user_count=Count("users"),
        active_user_count=Count("users", filter=Q(users__is_active=True)),
    ).order_by("name")


def organisation_choices():
    return Organisation.objects.filter(is_active=True).order_by("name")


# Contact directory -----------------------------------------------------------


class CheckStatus(StrEnum):
    NOT_CHECKED = "Not checked"
    CHECK_DUE = "Check due"
    CHECKED = "Checked"


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day if it is shorter)."""
    years, month_index = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def contact_check_status(contact: Contact, *, today: datetime.date | None = None) -> CheckStatus:
    if contact.last_checked is None:
        return CheckStatus.NOT_CHECKED
    today = today or timezone.localdate()
    if contact.last_checked < months_before(today, CONTACT_CHECK_DUE_AFTER_MONTHS):
        return CheckStatus.CHECK_DUE
    return CheckStatus.CHECKED


def contact_list():
    """Every contact, switched off ones included, by name."""
    return Contact.objects.order_by("name")


def contact_get(*, pk) -> Contact:
    return Contact.objects.get(pk=pk)
