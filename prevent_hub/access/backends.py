from .checks import can
from .policy import Action


class DjangoAdminPermissionBackend:
    """Gives system administrators every Django admin model permission.

    We do not use Django's permission tables: roles and the access policy decide
    everything, and Django admin is one more action in that policy. This backend
    never authenticates anyone.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user, perm, obj=None):
        return bool(user.is_active and can(user, Action.DJANGO_ADMIN))

    def has_module_perms(self, user, app_label):
        return self.has_perm(user, f"{app_label}.*")
