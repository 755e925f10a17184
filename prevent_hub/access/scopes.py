"""Queryset filters for every model that holds personal data.

Keyed by model label so this module needs no model imports at load time. A
model without an entry cannot be listed through `access.scope`.
"""

from prevent_hub.accounts.roles import Role


def _users(user, queryset):
    """System administrators and auditors see every account; everyone else only their own."""
    if user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR):
        return queryset
    return queryset.filter(pk=user.pk)


def _audit_events(user, queryset):
    """Auditors see every audit event; others see none except through "who has
    accessed this record" on records they can see."""
    if user.has_role(Role.AUDITOR):
        return queryset
    return queryset.none()


def _referrals(user, queryset):
    """Prevent coordinators see every referral; police practitioners see the
    referrals the council has shared with police; nobody else sees any."""
    if user.has_role(Role.PREVENT_COORDINATOR):
        return queryset
    if user.has_role(Role.POLICE_PRACTITIONER):
        return queryset.filter(police_shared_at__isnull=False)
    return queryset.none()


def _people(user, queryset):
    """Prevent coordinators see every person record; police practitioners see
    people with a referral shared with police; nobody else sees any."""
    if user.has_role(Role.PREVENT_COORDINATOR):
        return queryset
    if user.has_role(Role.POLICE_PRACTITIONER):
        return queryset.filter(referrals__police_shared_at__isnull=False).distinct()
    return queryset.none()


def _channel_cases(user, queryset):
    """Prevent coordinators, Channel panel chairs and police practitioners see
    every Channel case; panel members and intervention providers see the cases
    whose team they are on, while they are on it; nobody else sees any."""
    if user.has_role(Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER):
        return queryset
    if user.has_role(Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER):
        return queryset.filter(team__user=user, team__removed_at__isnull=True).distinct()
    return queryset.none()


def _api_tokens(user, queryset):
    """System administrators see every partner API token; everyone else only
    tokens that act for them."""
    if user.has_role(Role.SYSTEM_ADMINISTRATOR):
        return queryset
    return queryset.filter(user=user)


SCOPES = {
    "accounts.User": _users,
    "audit.AuditEvent": _audit_events,
    "referrals.Referral": _referrals,
    "people.Person": _people,
    "channel.ChannelCase": _channel_cases,
    "api.ApiToken": _api_tokens,
}
