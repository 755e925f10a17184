"""The keys a referral's subject is found by: every name it gives, the
postcode and the address reduced to which home it is.

Written once, when the referral is received (referral_submit), from what the
referrer said; `manage.py rebuild_name_keys` writes them again when the way
keys are made changes. Repeat-referral matching (people.matching) and the
searches read them.

The functions take the model classes to use, so migrations can call them
with their historical models.
"""

from prevent_hub.core.addresses import address_key, address_postcode
from prevent_hub.core.names import GivenName, all_names

NAME_LENGTH = 100  # ReferralName.given_name / family_name


def subject_names(referral) -> list[GivenName]:
    """Every name the referral gives for its subject, main name first."""
    return all_names(referral.subject_given_name, referral.subject_family_name,
                     referral.subject_other_names)


def subject_keys_set(referral) -> None:
    """Fill in the referral's postcode and address keys (not saved)."""
    referral.subject_postcode_key = address_postcode(referral.subject_address, referral.subject_postcode)
    referral.subject_address_key = address_key(referral.subject_address)


def subject_name_rows(referral, *, model) -> list:
    """Unsaved `model` (ReferralName) rows for each name the referral gives."""
    # (Historical models in migrations have no `subject_name` property.)
    has_main_name = bool((referral.subject_given_name or "").strip()
                         or (referral.subject_family_name or "").strip())
    rows = []
    for index, name in enumerate(subject_names(referral)):
        name = GivenName(given_name=name.given_name[:NAME_LENGTH], family_name=name.family_name[:NAME_LENGTH])
        rows.append(model(
            referral_id=referral.pk, kind="main" if index == 0 and has_main_name else "other",
            given_name=name.given_name, family_name=name.family_name,
            given_key=name.given_key, family_key=name.family_key,
        ))
    return rows


def subject_index(referral, *, name_model=None) -> None:
    """Write the keys of a saved referral: its key columns and its names.
    Replaces any written before. Call inside the transaction that saved it."""
    if name_model is None:
        from .models import ReferralName as name_model
    subject_keys_set(referral)
    type(referral).objects.filter(pk=referral.pk).update(
        subject_postcode_key=referral.subject_postcode_key,
        subject_address_key=referral.subject_address_key,
    )
    name_model.objects.filter(referral_id=referral.pk).delete()
    name_model.objects.bulk_create(subject_name_rows(referral, model=name_model))
