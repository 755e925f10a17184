from django.utils.functional import SimpleLazyObject

from .selectors import contacts_by_key


def contacts(request):
    """The contact directory, read only if the page uses it, and then once."""
    return {"contacts": SimpleLazyObject(contacts_by_key)}
