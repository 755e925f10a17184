"""Predicates (django-rules) that the access rules are built from."""

import rules


@rules.predicate
def is_signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def has_role(*roles):
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user):
        return is_signed_in(user) and bool(user.roles & wanted)

    return predicate
