"""The reporting details a referral plainly gives when it is received
(`reporting_details_from_intake`), and recording them at triage
(`referral_reporting_details_set`)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.referrals.models import Referral, ReferralKind, YesNoUnknown
from prevent_hub.referrals.reporting import referral_reporting_details_set, reporting_details_from_intake
from prevent_hub.referrals.services import referral_submit

from .factories import ReferralFactory

pytestmark = pytest.mark.django_db

RECEIVED = timezone.make_aware(datetime.datetime(2026, 3, 10, 11, 0))


def received(**fields):
    referral = Referral(kind=fields.pop("kind", ReferralKind.PRACTITIONER), received_at=RECEIVED, **fields)
    reporting_details_from_intake(referral)
    return referral


def with_organisation(organisation_type, **fields):
    referral = Referral(kind=ReferralKind.PRACTITIONER, received_at=RECEIVED, **fields)
    reporting_details_from_intake(referral, organisation_type=organisation_type)
    return referral


# From what the referral says ---------------------------------------------------------------------


@pytest.mark.parametrize(("born", "age"), [
    (datetime.date(2010, 3, 11), 15),  # sixteen the day after
    (datetime.date(2010, 3, 10), 16),  # sixteen on the day
    (datetime.date(2008, 2, 29), 18),
    (datetime.date(2026, 3, 10), 0),
])
def test_the_age_is_the_age_on_the_day_received(born, age):
    assert received(subject_date_of_birth=born).age_at_referral == age


def test_an_approximate_age_is_used_when_there_is_no_date_of_birth():
    assert received(subject_approximate_age=24).age_at_referral == 24
    assert received(subject_date_of_birth=datetime.date(2011, 1, 1),
                    subject_approximate_age=40).age_at_referral == 15


def test_a_date_of_birth_after_the_referral_is_not_used():
    assert received(subject_date_of_birth=datetime.date(2026, 6, 1)).age_at_referral is None
    assert received(subject_date_of_birth=datetime.date(2026, 6, 1),
                    subject_approximate_age=30).age_at_referral == 30


def test_no_age_given_stays_not_recorded():
    assert received().age_at_referral is None


@pytest.mark.parametrize(("written", "code"), [
    ("Male", "male"), (" boy ", "male"), ("M", "male"), ("Man", "male"),
    ("female", "female"), ("Girl", "female"), ("F", "female"), ("WOMAN", "female"),
    # Anything else is left for the Prevent team: never guessed.
    ("Non-binary", ""), ("Not stated", ""), ("", ""), ("Male?", ""), ("<b>male</b>", ""),
])
def test_gender_is_read_only_when_written_plainly(written, code):
    assert received(subject_gender=written).reported_gender == code


@pytest.mark.parametrize(("mental_health", "neurodiversity", "code"), [
    (YesNoUnknown.YES, "", "yes"),
    ("", YesNoUnknown.YES, "yes"),
    (YesNoUnknown.NO, YesNoUnknown.YES, "yes"),
    (YesNoUnknown.NO, YesNoUnknown.NO, "no"),
    (YesNoUnknown.NO, YesNoUnknown.UNKNOWN, ""),
    (YesNoUnknown.NO, "", ""),
    ("", "", ""),
])
def test_mental_health_or_neurodiversity_from_the_answers(mental_health, neurodiversity, code):
    referral = received(mental_health_needs=mental_health, neurodiversity=neurodiversity)
    assert referral.mental_health_or_neurodiversity == code


@pytest.mark.parametrize(("organisation_type", "sector"), [
    (OrganisationType.EDUCATION, "education"),
    (OrganisationType.POLICE, "police"),
    (OrganisationType.HEALTH, "health"),
    (OrganisationType.CHILDRENS_SOCIAL_CARE, "local_authority"),
    (OrganisationType.HOUSING, "local_authority"),
    (OrganisationType.PROBATION, "probation"),
    (OrganisationType.VOLUNTARY_SECTOR, "community"),
    (OrganisationType.INTERVENTION_PROVIDER, ""),
    (OrganisationType.OTHER, ""),
    ("", ""),
])
def test_sector_from_the_referrers_organisation(organisation_type, sector):
    assert with_organisation(organisation_type).sector == sector


def test_a_public_concern_is_counted_as_community():
    assert received(kind=ReferralKind.PUBLIC).sector == "community"


def test_what_is_already_recorded_is_kept():
    referral = Referral(kind=ReferralKind.PUBLIC, received_at=RECEIVED, sector="friends_and_family",
                        reported_gender="other", subject_gender="Male",
                        mental_health_or_neurodiversity="not_known", mental_health_needs=YesNoUnknown.YES)
    reporting_details_from_intake(referral)
    assert (referral.sector, referral.reported_gender, referral.mental_health_or_neurodiversity) == (
        "friends_and_family", "other", "not_known")


def test_the_type_of_concern_and_ethnicity_are_never_worked_out():
    referral = received(concern_description="Fictional: talks about extreme right-wing groups",
                        subject_nationality="British", concern_prompts=["online_activity"])
    assert (referral.concern_type, referral.ethnicity) == ("", "")


def test_a_signed_in_practitioners_referral_gets_its_sector_when_submitted():
    user = UserFactory(organisation=OrganisationFactory(type=OrganisationType.HEALTH))
    referral, _ = referral_submit(
        kind=ReferralKind.PRACTITIONER, submission_key="test:sector", acting_user=user, acknowledge=False,
        details={"referrer_name": "Testy McTestface", "referrer_organisation": "Shireford Test Trust",
                 "referrer_email": "testy@test.shireford.example", "subject_given_name": "Example",
                 "subject_family_name": "Person", "subject_gender": "Girl",
                 "subject_date_of_birth": timezone.localdate() - datetime.timedelta(days=365 * 12 + 10),
                 "neurodiversity": "yes", "concern_description": "Fictional test concern."})
    referral.refresh_from_db()
    assert (referral.sector, referral.reported_gender, referral.age_at_referral,
            referral.mental_health_or_neurodiversity, referral.concern_type) == (
        "health", "female", 12, "yes", "")


# Recording them at triage ----------------------------------------------------------------------


@pytest.fixture
def coordinator():
    return UserFactory(full_name="Casey Coordinator")


def refused(referral, details, coordinator) -> dict:
    with pytest.raises(ValidationError) as caught:
        referral_reporting_details_set(referral=referral, details=details, acting_user=coordinator)
    return caught.value.message_dict


@pytest.mark.parametrize(("details", "field", "message"), [
    ({"age_at_referral": -1}, "age_at_referral", "Age at referral must be between 0 and 120"),
    ({"age_at_referral": 121}, "age_at_referral", "Age at referral must be between 0 and 120"),
    ({"age_at_referral": 10 ** 30}, "age_at_referral", "Age at referral must be between 0 and 120"),
    ({"age_at_referral": "15"}, "age_at_referral", "Age at referral must be a whole number, like 15"),
    ({"age_at_referral": 15.5}, "age_at_referral", "Age at referral must be a whole number, like 15"),
    ({"age_at_referral": True}, "age_at_referral", "Age at referral must be a whole number, like 15"),
    ({"sector": "schools"}, "sector", "Select the sector of referral from the list"),
    ({"sector": ["education"]}, "sector", "Select the sector of referral from the list"),
    ({"ethnicity": "<script>"}, "ethnicity", "Select the ethnicity from the list"),
    ({"concern_type": "extreme_right_wing", "reported_gender": "man"}, "reported_gender",
     "Select the gender from the list"),
])
def test_bad_details_are_refused_and_nothing_changes(coordinator, details, field, message):
    referral = ReferralFactory(sector="health")
    assert refused(referral, details, coordinator)[field] == [message]
    referral.refresh_from_db()
    assert (referral.sector, referral.concern_type, referral.reported_gender, referral.age_at_referral) == (
        "health", "", "", None)
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_edges_of_age_are_accepted(coordinator):
    referral = ReferralFactory()
    for age in (0, 120, None):
        referral = referral_reporting_details_set(referral=referral, details={"age_at_referral": age},
                                                  acting_user=coordinator)
        assert referral.age_at_referral == age


def test_a_new_scheme_concern_is_refused_for_a_referral_received_before_it(coordinator):
    referral = ReferralFactory(received_at=timezone.make_aware(datetime.datetime(2024, 3, 31, 23, 0)))
    assert refused(referral, {"concern_type": "no_ideology_identified"}, coordinator) == {
        "concern_type": ["Select the type of concern from the list"]}
    saved = referral_reporting_details_set(referral=referral, details={"concern_type": "no_risk"},
                                           acting_user=coordinator)
    assert saved.concern_type == "no_risk"
    on_the_day = ReferralFactory(received_at=timezone.make_aware(datetime.datetime(2024, 4, 1, 0, 30)))
    saved = referral_reporting_details_set(referral=on_the_day,
                                           details={"concern_type": "no_ideology_identified"},
                                           acting_user=coordinator)
    assert saved.concern_type == "no_ideology_identified"


def test_only_reporting_details_can_be_set(coordinator):
    referral = ReferralFactory()
    with pytest.raises(ValueError, match="status"):
        referral_reporting_details_set(referral=referral, details={"status": "decided"},
                                       acting_user=coordinator)


def test_the_audit_names_the_changed_fields_only(coordinator):
    referral = ReferralFactory(sector="education")
    referral_reporting_details_set(referral=referral, acting_user=coordinator, details={
        "sector": "education", "concern_type": "islamist", "ethnicity": "mixed", "age_at_referral": 14})
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert (event.actor, event.object_id) == (coordinator, str(referral.pk))
    assert sorted(event.changed_fields) == ["age_at_referral", "concern_type", "ethnicity"]
    assert "islamist" not in repr(event.details) and "mixed" not in repr(event.details)
