"""Sample records for tests/test_url_role_matrix.py (people URLs)."""

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.people.models import Person
from prevent_hub.people.services import person_merge
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


def two_people_kwargs(user):
    """Two people, each with a referral shared with police."""
    return {"pk": person_kwargs(user)["pk"], "other": person_kwargs(user)["pk"]}


def merge_kwargs(user):
    """A merge of two such people (the merged one keeps no referral, so
    only the kept one is visible to police: the page is still a coordinator's)."""
    people = two_people_kwargs(user)
    kept, merged = (Person.objects.get(pk=people[key]) for key in ("pk", "other"))
    merge = person_merge(kept=kept, merged=merged,
                         reasons="Fictional: the same pupil",
                         acting_user=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    return {"pk": merge.pk}
