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


SCOPES = {
    "accounts.User": _users,
    "audit.AuditEvent": _audit_events,
}
