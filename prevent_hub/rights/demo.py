"""Demo rights requests. Every requester and story is invented.

Runs after the panels demo (INSTALLED_APPS order), through the services as
the data protection officer's clicks would:

- a subject access request in progress: identity verified, the person
  found, the bundle prepared with the referrer's name redacted, waiting for
  a second person (the demo coordinator) to approve it;
- a subject access request completed: prepared, redacted, approved by the
  coordinator and released by secure email;
- an erasure request refused, with reasons.
"""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.audit.context import acting_as
from prevent_hub.channel.demo import ADOPTED_AT_PANEL, NOT_ADOPTED_AT_PANEL, REVIEWED_AT_PANEL
from prevent_hub.people.models import Person

from . import services
from .models import Decision, IdentityMethod, RedactionReason, Relationship, ReleaseMethod, RequestKind


def _user(local):
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _person(given, family):
    return Person.objects.filter(given_name=given, family_name=family, merged_into=None).first()


def _referrer_redacted(bundle, dpo):
    for section in bundle.document["sections"]:
        if section["key"] == "referrals.referral" and section["items"]:
            services.redaction_add(
                bundle=bundle, item_key=section["items"][0]["key"], field_key="referrer_name",
                reason=RedactionReason.THIRD_PARTY, acting_user=dpo,
                explanation="Fictional demo: the referrer is a third party and did not agree to be named.")
            return


def _started(person, dpo, *, kind, received_on, requester, relationship, text=""):
    request = services.rights_request_log(
        kind=kind, requester_name=requester,
        requester_contact=f"{requester.split()[0].lower()}@example.invalid",
        requester_relationship=relationship, received_on=received_on,
        subject_details=f"{person.given_name} {person.family_name} (demo)", request_text=text,
        acting_user=dpo)
    services.rights_request_identity_verify(request=request, method=IdentityMethod.DOCUMENTS,
                                            notes="Fictional demo: passport and a utility bill seen.",
                                            acting_user=dpo)
    return services.rights_request_person_link(request=request, person=person, acting_user=dpo)


def load():
    dpo, coordinator = _user("dpo"), _user("coordinator")
    today = timezone.localdate()
    in_progress, released, erasure = (_person(*names) for names in (ADOPTED_AT_PANEL, NOT_ADOPTED_AT_PANEL,
                                                                     REVIEWED_AT_PANEL))
    with acting_as(dpo):
        if in_progress:
            request = _started(in_progress, dpo, kind=RequestKind.SUBJECT_ACCESS,
                               received_on=today - datetime.timedelta(days=12),
                               requester="Demo Parent-Example", relationship=Relationship.PARENT_OR_CARER)
            _referrer_redacted(services.bundle_prepare(request=request, acting_user=dpo), dpo)
        if released:
            request = _started(released, dpo, kind=RequestKind.SUBJECT_ACCESS,
                               received_on=today - datetime.timedelta(days=40),
                               requester=f"{released.given_name} Demo-Requester",
                               relationship=Relationship.SELF)
            bundle = services.bundle_prepare(request=request, acting_user=dpo)
            _referrer_redacted(bundle, dpo)
            with acting_as(coordinator):
                services.bundle_approve(bundle=bundle, acting_user=coordinator)
                services.bundle_release(bundle=bundle, released_on=today, method=ReleaseMethod.SECURE_EMAIL,
                                        notes="Fictional demo: sent to the address the requester gave.",
                                        acting_user=coordinator)
        if erasure:
            request = _started(erasure, dpo, kind=RequestKind.ERASURE,
                               received_on=today - datetime.timedelta(days=20),
                               requester="Demo Solicitor-Example LLP",
                               relationship=Relationship.REPRESENTATIVE,
                               text="Fictional demo: erase everything held about my client.")
            services.rights_request_decide(
                request=request, decision=Decision.REFUSED, acting_user=dpo,
                reasons="Fictional demo reasons: the records are needed for the council's safeguarding "
                        "duty while the Channel case is open (UK GDPR Art 17(3)(b)); they will be deleted "
                        "under the retention policy when it closes.")
