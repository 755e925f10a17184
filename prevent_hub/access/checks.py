from functools import wraps

import rules
from django.core.exceptions import PermissionDenied

from .policy import (
    AGENDA_GRANTS,
    ANY_SIGNED_IN_USER,
    CASE_TEAM_ROLES,
    INVITED_ROLES,
    NEED_ASSIGNED_INVESTIGATOR,
    NEED_CASE_TEAM,
    NEED_INVITATION,
    NEED_OWN_ORGANISATION,
    POLICE_NEED_SHARED_REFERRAL,
    REFUSED_WHILE_RESTRICTED,
    ROLE_MATRIX,
    Action,
)
from .predicates import (
    has_role,
    in_own_organisation,
    investigating_complaint,
    invited_to_meeting,
    is_signed_in,
    on_case_team,
    on_current_agenda,
    record_not_restricted,
    referral_shared_with_police,
)
from .roles import Role
from .scopes import SCOPES
from .signals import access_refused

# A private rule set rather than Django's permission system: no superuser
# bypass, no permission tables, no queries beyond the user's roles.
RULES = rules.RuleSet()
for _action in Action:
    if _action in ANY_SIGNED_IN_USER:
        RULES.add_rule(_action, is_signed_in)
    elif _action in POLICE_NEED_SHARED_REFERRAL:
        others = ROLE_MATRIX[_action] - {Role.POLICE_PRACTITIONER}
        RULES.add_rule(
            _action,
            has_role(*others) | (has_role(Role.POLICE_PRACTITIONER) & referral_shared_with_police),
        )
    elif _action in NEED_CASE_TEAM:
        everywhere = ROLE_MATRIX[_action] - CASE_TEAM_ROLES
        on_team = ROLE_MATRIX[_action] & CASE_TEAM_ROLES
        needed = on_case_team
        if _action in AGENDA_GRANTS:
            needed = on_case_team | (has_role(Role.PANEL_MEMBER) & on_current_agenda)
        RULES.add_rule(_action, has_role(*everywhere) | (has_role(*on_team) & needed))
    elif _action in NEED_INVITATION:
        everywhere = ROLE_MATRIX[_action] - INVITED_ROLES
        invited = ROLE_MATRIX[_action] & INVITED_ROLES
        RULES.add_rule(_action, has_role(*everywhere) | (has_role(*invited) & invited_to_meeting))
    elif _action in NEED_ASSIGNED_INVESTIGATOR:
        everywhere = ROLE_MATRIX[_action] - {Role.INVESTIGATING_OFFICER}
        RULES.add_rule(_action, has_role(*everywhere)
                       | (has_role(Role.INVESTIGATING_OFFICER) & investigating_complaint))
    elif _action in NEED_OWN_ORGANISATION:
        everywhere = ROLE_MATRIX[_action] - {Role.TRAINING_LEAD}
        RULES.add_rule(_action, has_role(*everywhere) | (has_role(Role.TRAINING_LEAD) & in_own_organisation))
    else:
        RULES.add_rule(_action, has_role(*ROLE_MATRIX[_action]))
    if _action in REFUSED_WHILE_RESTRICTED:
        RULES.set_rule(_action, RULES[_action] & record_not_restricted)


def can(user, action: Action, obj=None) -> bool:
    return RULES.test_rule(action, user, obj)


def check(request, action: Action, obj=None):
    """Raise PermissionDenied (audited) unless the request's user may act."""
    if not can(request.user, action, obj):
        deny(request, action, obj)


def deny(request, action, obj=None):
    """Refuse, audited (audit.receivers records every refusal)."""
    access_refused.send(sender=deny, action=action, obj=obj)
    raise PermissionDenied(action)


def requires(action: Action):
    """Declare what a view needs. AccessMiddleware enforces it before the view
    runs; the attribute is also how the URL × role test knows what to expect."""

    def decorate(view):
        if isinstance(view, type):  # class-based view
            view.access_action = action
            return view

        @wraps(view)
        def wrapped(*args, **kwargs):
            return view(*args, **kwargs)

        wrapped.access_action = action
        return wrapped

    return decorate


def scope(user, queryset):
    """Only the rows of `queryset` that `user` may see."""
    model = queryset.model
    try:
        scope_for_model = SCOPES[model._meta.label]
    except KeyError:
        raise LookupError(
            f"No access scope for {model._meta.label}: add one to prevent_hub.access.scopes"
        ) from None
    if not is_signed_in(user):
        return queryset.none()
    return scope_for_model(user, queryset)
