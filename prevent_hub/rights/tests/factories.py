"""Test data for rights requests. Everything here is obviously fictional.

Requests are made through the services (so each step is as a person's
clicks would leave it); the helpers name the state they leave it in."""

import datetime

from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.tests.factories import ChannelCaseFactory, NoteFactory
from prevent_hub.people.tests.factories import PersonFactory
from prevent_hub.referrals.tests.factories import ReferralFactory
from prevent_hub.rights import services
from prevent_hub.rights.models import IdentityMethod, Relationship, RequestKind


def dpo(**fields):
    return UserFactory(roles=[Role.DATA_PROTECTION_OFFICER], **fields)


def request_logged(*, kind=RequestKind.SUBJECT_ACCESS, by=None, received_on=None, **fields):
    values = {
        "requester_name": "Testina Requester (fictional)",
        "requester_contact": "requester@test.example",
        "requester_relationship": Relationship.SELF,
        "subject_details": "Testina Requester, born 1 January 2000 (fictional)",
        "request_text": "Please correct my fictional address." if kind != RequestKind.SUBJECT_ACCESS else "",
        **fields,
    }
    return services.rights_request_log(kind=kind, received_on=received_on or timezone.localdate(),
                                       acting_user=by or dpo(), **values)


def request_verified(**kwargs):
    request = request_logged(**kwargs)
    return services.rights_request_identity_verify(request=request, method=IdentityMethod.DOCUMENTS,
                                                   acting_user=request.logged_by)


def person_with_records(*, referrals=2, notes=2, **person_fields):
    """A person with `referrals` referrals (the first with a Channel case)
    and `notes` notes on the case."""
    person = PersonFactory(**person_fields)
    case = ChannelCaseFactory(person=person)
    for _ in range(referrals - 1):
        ReferralFactory(person=person, subject_given_name=person.given_name,
                        subject_family_name=person.family_name)
    for number in range(notes):
        NoteFactory(case=case, text=f"Fictional note {number + 1} about the test person.")
    return person


def request_with_person(*, person=None, **kwargs):
    request = request_verified(**kwargs)
    return services.rights_request_person_link(request=request, person=person or person_with_records(),
                                               acting_user=request.logged_by)


def bundle_prepared(*, by=None, **kwargs):
    request = request_with_person(**kwargs)
    return services.bundle_prepare(request=request, acting_user=by or request.logged_by)


def bundle_approved(**kwargs):
    bundle = bundle_prepared(**kwargs)
    return services.bundle_approve(bundle=bundle, acting_user=dpo())


def first_field(bundle, section_key="people.person", field_key="given_name"):
    for section in bundle.document["sections"]:
        if section["key"] == section_key:
            return section["items"][0]["key"], field_key
    raise LookupError(section_key)


# For the URL × role matrix: a request the user may see, in the state each page needs.


def matrix_request_kwargs(user) -> dict:
    """A subject access request with a prepared bundle (someone else's)."""
    return {"pk": bundle_prepared().request_id}


def matrix_approved_kwargs(user) -> dict:
    return {"pk": bundle_approved().request_id}


def matrix_redact_kwargs(user) -> dict:
    bundle = bundle_prepared()
    item_key, field_key = first_field(bundle)
    return {"pk": bundle.request_id, "item_key": item_key, "field_key": field_key}


def matrix_redaction_kwargs(user) -> dict:
    bundle = bundle_prepared()
    item_key, field_key = first_field(bundle)
    redaction = services.redaction_add(bundle=bundle, item_key=item_key, field_key=field_key,
                                       reason="third_party", explanation="Fictional reason for a test.",
                                       acting_user=bundle.prepared_by)
    return {"pk": bundle.request_id, "redaction_pk": redaction.pk}


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)
