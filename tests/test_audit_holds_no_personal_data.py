"""Audit events carry record ids and references, never what the records say
about people: so retention can delete a record and leave the audit chain
untouched, and a subject access bundle can include the events about someone
without disclosing anyone else."""

import json

import pytest
from django.core.management import call_command

from prevent_hub.audit.models import AuditEvent
from prevent_hub.people.models import Person, PersonName
from prevent_hub.referrals.models import Referral

pytestmark = pytest.mark.django_db


def personal_words() -> set[str]:
    """Every name, email, telephone number, postcode and date of birth the demo's
    people and referrals hold (long enough not to match ordinary words)."""
    words = set()
    for person in Person.objects.all():
        words |= {person.given_name, person.family_name, person.postcode, str(person.date_of_birth or "")}
    words |= set(PersonName.objects.values_list("family_name", flat=True))
    for referral in Referral.objects.all():
        words |= {referral.subject_given_name, referral.subject_family_name, referral.referrer_name,
                  referral.referrer_email, referral.referrer_phone, referral.carer_name,
                  referral.carer_phone, referral.subject_postcode, referral.dsl_name,
                  str(referral.subject_date_of_birth or "")}
    return {word for word in words if word and len(word) >= 4}


def test_no_audit_event_of_the_demo_names_anyone_it_is_about(settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo_data")
    words = personal_words()
    assert len(words) > 50, "the demo should give the scan plenty to look for"
    events = AuditEvent.objects.all()
    assert events.count() > 100
    found = [(event.sequence, word) for event in events.iterator()
             for word in words if word in json.dumps(event.details, ensure_ascii=False)]
    assert found == []
