"""Sample records for tests/test_url_role_matrix.py (people URLs)."""

from django.utils import timezone

from prevent_hub.referrals.tests.factories import ReferralFactory

from .factories import PersonFactory


def identify_kwargs(user):
    """A referral not yet linked to a person (only coordinators may identify)."""
    return {"reference": ReferralFactory().reference}


def person_kwargs(user):
    """A person with a referral shared with police, so every role that may
    see people (police included) may see this one."""
    referral = ReferralFactory(person=PersonFactory(), police_shared_at=timezone.now())
    return {"pk": referral.person_id}
