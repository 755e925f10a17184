from .models import Contact


def contacts_by_key() -> dict[str, Contact]:
    """Every active contact, keyed, in one query."""
    return {contact.key: contact for contact in Contact.objects.filter(is_active=True)}
