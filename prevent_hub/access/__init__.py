"""Who may see and do what, in one place.

- `policy.Action` names every thing a person can do; `policy.ROLE_MATRIX` says
  which roles may do it (docs/access.md is generated from it and a test keeps
  them in step).
- `can(user, action, obj=None)` answers for a user, including object rules
  (for example: an intervention provider only sees cases assigned to them).
- `scope(user, queryset)` filters a queryset of personal data to what the user
  may see, by the same rules, so lists and detail pages never disagree.
- `requires(action)` declares what a view needs; AccessMiddleware refuses any
  staff or API view that declares nothing (deny by default) and audits every
  refusal.
"""

from .checks import can, check, requires, scope
from .policy import Action

__all__ = ["Action", "can", "check", "requires", "scope"]
