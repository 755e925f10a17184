"""Every URL × every role, against the access policy.

Walks the whole URLconf. Every staff URL's view must declare an action and
what it shows (audit.shows), and every 200 from a page that shows personal
data must have written its audit event; for
anonymous visitors every staff URL redirects to sign-in; for each role, a GET
is refused (403) exactly when docs/access.md says the role may not take the
view's action, and never fails (5xx) when it may. A new URL with parameters
needs an entry in SAMPLE_KWARGS, so nothing escapes the matrix.
"""

import pytest
from django.apps import apps
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from prevent_hub.access.middleware import view_action
from prevent_hub.access.policy import ANY_SIGNED_IN_USER, ROLE_MATRIX
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.accounts.tests.helpers import another_session_reference
from prevent_hub.api.tests.factories import ApiTokenFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.audit.shows import view_shows
from prevent_hub.channel.tests import factories as channel_a
from prevent_hub.channel.tests import factories_assessments as channel_c
from prevent_hub.channel.tests import factories_consent_support as channel_b
from prevent_hub.channel.tests import factories_reviews as channel_d
from prevent_hub.complaints.tests import factories as complaints
from prevent_hub.core.quarters import financial_year_of
from prevent_hub.directory.models import Contact, RoutingRule
from prevent_hub.legacy_import.tests import factories as legacy_imports
from prevent_hub.panels.tests import factories as panels
from prevent_hub.people.tests import matrix_helpers as people_helpers
from prevent_hub.records.tests import factories as records
from prevent_hub.referrals.tests import triage_helpers
from prevent_hub.referrals.tests.factories import ReferralDraftFactory
from prevent_hub.rights.tests import factories as rights
from prevent_hub.statistics.tests import factories as statistics
from prevent_hub.training.tests import import_helpers as training_imports
from prevent_hub.training.tests import matrix_learners as training_learners
from prevent_hub.venues.tests import factories as venue_bookings

# name → function(requesting user) → kwargs for a record that user may see
# (object rules are tested with each capability; here we test the roles).
SAMPLE_KWARGS = {
    "staff:not-found": lambda user: {"path": "no-such-page"},
    "administration:user-detail": lambda user: {"pk": user.pk},
    "administration:user-edit": lambda user: {"pk": user.pk},
    "administration:user-roles": lambda user: {"pk": user.pk},
    "administration:user-deactivate": lambda user: {"pk": user.pk},
    "administration:user-reactivate": lambda user: {"pk": user.pk},
    "administration:user-reset-second-factor": lambda user: {"pk": user.pk},
    "administration:user-send-set-password-email": lambda user: {"pk": user.pk},
    "administration:user-sessions-end": lambda user: {"pk": user.pk},
    "accounts:account-session-sign-out": lambda user: {"reference": another_session_reference(user)},
    "administration:organisation-edit": lambda user: {"pk": user.organisation_id},
    "administration:contact-edit": lambda user: {"pk": Contact.objects.first().pk},
    "administration:contact-mark-checked": lambda user: {"pk": Contact.objects.first().pk},
    "administration:routing-rule-edit": lambda user: {"pk": RoutingRule.objects.first().pk},
    "audit:record-access": lambda user: {"object_type": "accounts.user", "object_id": user.pk},
    "api:token-revoke": lambda user: {"pk": ApiTokenFactory(user=user).pk},
    "triage:referral": triage_helpers.shared_referral_kwargs,
    "triage:attachment": triage_helpers.attachment_kwargs,
    "triage:referral-pdf": triage_helpers.shared_referral_kwargs,
    "triage:share": triage_helpers.shared_referral_kwargs,
    "triage:gateway-outcome": triage_helpers.shared_referral_kwargs,
    "triage:reporting-details": triage_helpers.shared_referral_kwargs,
    "channel:case-detail": channel_a.matrix_case_kwargs,
    "channel:case-decision": channel_a.matrix_decision_kwargs,
    "channel:case-team": channel_a.matrix_case_kwargs,
    "channel:case-team-remove": channel_a.matrix_team_member_kwargs,
    "channel:case-information-requests": channel_a.matrix_case_kwargs,
    "channel:case-information-request-add": channel_a.matrix_case_kwargs,
    "channel:case-information-request-answer": channel_a.matrix_information_request_kwargs,
    "channel:case-notes": channel_a.matrix_case_kwargs,
    "channel:case-note-add": channel_a.matrix_case_kwargs,
    "channel:case-note-correction": channel_a.matrix_note_kwargs,
    "channel:case-document-add": channel_a.matrix_case_kwargs,
    "channel:case-document": channel_a.matrix_document_kwargs,
    "channel:case-timeline": channel_a.matrix_case_kwargs,
    "channel:person-timeline": channel_a.matrix_person_kwargs,
    "channel:case-consent": channel_b.case_kwargs,
    "channel:case-consent-request": channel_b.case_kwargs,
    "channel:case-consent-answer": channel_b.consent_kwargs,
    "channel:case-consent-withdraw": channel_b.consent_kwargs,
    "channel:case-consent-seek-again": channel_b.case_kwargs,
    "channel:case-support": channel_b.case_kwargs,
    "channel:case-support-plan": channel_b.case_kwargs,
    "channel:case-support-provider-add": channel_b.case_kwargs,
    "channel:case-support-provider-remove": channel_b.provider_kwargs,
    "channel:case-support-action-add": channel_b.case_kwargs,
    "channel:case-support-action-done": channel_b.action_kwargs,
    "channel:case-support-start": channel_b.case_kwargs,
    "channel:case-session-record": channel_b.case_kwargs,
    "channel:case-assessments": channel_c.case_kwargs,
    "channel:assessment-new": channel_c.case_kwargs,
    "channel:assessment-compare": channel_c.case_kwargs,
    "channel:assessment-detail": channel_c.assessment_kwargs,
    "channel:assessment-check": channel_c.assessment_kwargs,
    "channel:assessment-edit-factors": channel_c.dimension_kwargs,
    "channel:assessment-edit-judgement": channel_c.dimension_kwargs,
    "channel:case-reviews": channel_d.case_kwargs,
    "channel:case-close-after-exit": channel_d.case_kwargs,
    "channel:case-transfer": channel_d.case_kwargs,
    "channel:case-transfer-bundle": channel_d.bundle_kwargs,
    "panels:panel": panels.panel_kwargs,
    "panels:panel-edit": panels.panel_kwargs,
    "panels:panel-member-remove": panels.panel_member_kwargs,
    "panels:meeting": panels.meeting_kwargs,
    "panels:agenda-build": panels.meeting_kwargs,
    "panels:agenda-add": panels.meeting_kwargs,
    "panels:notice": panels.meeting_kwargs,
    "panels:meeting-cancel": panels.meeting_kwargs,
    "panels:attendance": panels.meeting_kwargs,
    "panels:agenda-pack": panels.meeting_kwargs,
    "panels:agenda-pack-pdf": panels.meeting_kwargs,
    "panels:meeting-actions": panels.meeting_kwargs,
    "panels:minutes": panels.meeting_kwargs,
    "panels:minutes-pdf": panels.meeting_kwargs,
    "panels:minutes-notes": panels.meeting_kwargs,
    "panels:minutes-approve": panels.meeting_kwargs,
    "panels:minutes-addendum": panels.meeting_kwargs,
    "panels:attendance-remove": panels.attendance_kwargs,
    "panels:item": panels.item_kwargs,
    "panels:item-decide": panels.item_kwargs,
    "panels:item-invite": panels.item_kwargs,
    "panels:item-area": panels.item_kwargs,
    "panels:item-minute": panels.item_kwargs,
    "panels:item-move": panels.item_kwargs,
    "panels:item-remove": panels.item_kwargs,
    "panels:outside-decision": panels.outside_decision_kwargs,
    "panels:outside-decision-new": panels.outside_decision_case_kwargs,
    "administration:vaf-version": lambda user: {"version": 1},
    "administration:retention-history": lambda user: {"record_type": "complaint"},
    "administration:retention-edit": lambda user: {"record_type": "complaint"},
    "people:identify": people_helpers.identify_kwargs,
    "people:detail": people_helpers.person_kwargs,
    "people:edit": people_helpers.person_kwargs,
    "people:merge": people_helpers.person_kwargs,
    "people:merge-confirm": people_helpers.two_people_kwargs,
    "people:not-same": people_helpers.two_people_kwargs,
    "people:merge-undo": people_helpers.merge_kwargs,
    "intake:my-draft-continue": lambda user: {"draft_id": ReferralDraftFactory(owner=user).pk},
    "intake:my-draft-delete": lambda user: {"draft_id": ReferralDraftFactory(owner=user).pk},
    "records:hold": records.hold_kwargs,
    "records:hold-lift": records.hold_kwargs,
    "records:run": records.run_kwargs,
    "records:run-csv": records.run_kwargs,
    "rights:request": rights.matrix_request_kwargs,
    "rights:request-verify": rights.matrix_request_kwargs,
    "rights:request-person": rights.matrix_request_kwargs,
    "rights:request-venue-bookings": rights.matrix_request_kwargs,
    # complaints: subject access
    "rights:request-complaints": rights.matrix_request_kwargs,
    "rights:request-extend": rights.matrix_request_kwargs,
    "rights:request-decide": rights.matrix_request_kwargs,
    "rights:request-restriction-lift": rights.matrix_request_kwargs,
    "rights:bundle": rights.matrix_request_kwargs,
    "rights:bundle-prepare": rights.matrix_request_kwargs,
    "rights:bundle-redact": rights.matrix_redact_kwargs,
    "rights:bundle-redaction-remove": rights.matrix_redaction_kwargs,
    "rights:bundle-approve": rights.matrix_request_kwargs,
    "rights:bundle-release": rights.matrix_approved_kwargs,
    "rights:bundle-pdf": rights.matrix_request_kwargs,
    "rights:bundle-json": rights.matrix_request_kwargs,
    # Venue bookings: the officer's workflow
    "venues:booking": venue_bookings.matrix_booking_kwargs,
    "venues:booking-promotion-file": venue_bookings.matrix_file_kwargs,
    "venues:booking-check": venue_bookings.matrix_check_kwargs,
    "venues:booking-evidence-add": venue_bookings.matrix_check_kwargs,
    "venues:booking-evidence-file": venue_bookings.matrix_evidence_kwargs,
    "venues:booking-escalate": venue_bookings.matrix_booking_kwargs,
    "venues:booking-advise": venue_bookings.matrix_escalation_kwargs,
    "venues:booking-decide": venue_bookings.matrix_booking_kwargs,
    "venues:booking-appeal-decide": venue_bookings.matrix_appeal_kwargs,
    "venues:booking-cancel": venue_bookings.matrix_booking_kwargs,
    "venues:booking-letter-new": venue_bookings.matrix_booking_kwargs,
    "venues:booking-letter-write": venue_bookings.matrix_letter_kind_kwargs,
    "venues:booking-letter": venue_bookings.matrix_letter_kwargs,
    # Venues: administration, calendars and dashboard
    **{f"venues:{name}": venue_bookings.matrix_venue_kwargs for name in (
        "calendar-month", "calendar-week", "venue", "venue-edit", "room-new", "opening-hours",
        "closure-new")},
    "venues:room-edit": venue_bookings.matrix_room_kwargs,
    "venues:closure": venue_bookings.matrix_closure_kwargs,
    "venues:closure-remove": venue_bookings.matrix_closure_kwargs,
    "venues:conditions-version": lambda user: {"version": 1},
    "venues:letter-edit": lambda user: {"kind": "refusal"},
    # complaints: complaint pages
    **{f"complaints:{name}": complaints.matrix_complaint_kwargs for name in (
        "complaint", "complaint-triage", "complaint-link", "complaint-unlink", "complaint-consent",
        "complaint-acknowledge", "complaint-pass-on", "complaint-share-with-stacu", "complaint-signpost",
        "complaint-extend", "complaint-withdraw", "complaint-investigator", "complaint-note-add",
        "complaint-document-add", "complaint-point-add", "complaint-conclusions", "complaint-response")},
    "complaints:complaint-finding": complaints.matrix_point_kwargs,
    "complaints:complaint-document": complaints.matrix_document_kwargs,
    "complaints:complaint-letter": complaints.matrix_letter_kwargs,
    "complaints:letter-template": lambda user: {"kind": "response"},
    # training: learners, courses, imports, compliance; subject access; the assurance summary
    **training_learners.SAMPLE_KWARGS,
    "training:import": training_imports.matrix_import_kwargs,
    "training:import-start": training_imports.matrix_import_kwargs,
    **{f"training:{name}": (lambda user: {"pk": user.organisation_id}) for name in (
        "organisation", "organisation-csv", "organisation-xlsx")},
    "rights:request-learners": rights.matrix_request_kwargs,
    **{f"assurance:{name}": (lambda user: {"year": financial_year_of(timezone.localdate())})
       for name in ("summary-year", "summary-csv", "summary-xlsx")},
    "legacy_import:import": legacy_imports.matrix_import_kwargs,
    "legacy_import:import-start": legacy_imports.matrix_import_kwargs,
    # statistics: the dashboard and its downloads; equality monitoring and the area's population
    **{f"statistics:{name}": (lambda user: {"year": financial_year_of(timezone.localdate())})
       for name in ("year", "equality-year", "equality-download")},
    "statistics:download": lambda user: {"year": financial_year_of(timezone.localdate()),
                                         "file_format": "csv"},
    "statistics:population-set": lambda user: {"year": statistics.population(2021, total__all=1000).year},
}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(
                entry.url_patterns, prefix + str(entry.pattern),
                f"{namespace}{ns}:" if ns else namespace,
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (namespace + entry.name) if entry.name else None, entry


def staff_patterns():
    found = []
    for route, name, entry in walk(get_resolver().url_patterns):
        if not route.startswith("staff/") or route.startswith("staff/django-admin/"):
            continue
        found.append((route, name, entry))
    return found


def has_parameters(route, entry):
    return bool(entry.pattern.converters) or "(?P<" in route


def sample_request(route, name, entry, user):
    """(path, kwargs) of a sample request for the URL, as `user`."""
    if not has_parameters(route, entry):
        return "/" + route.lstrip("^").rstrip("$"), {}
    assert name in SAMPLE_KWARGS, f"add sample kwargs for {name or route} to SAMPLE_KWARGS"
    kwargs = SAMPLE_KWARGS[name](user)
    return reverse(name, kwargs=kwargs), kwargs


def sample_path(route, name, entry, user):
    return sample_request(route, name, entry, user)[0]


READS = [AuditAction.VIEW, AuditAction.SEARCH, AuditAction.EXPORT, AuditAction.DOWNLOAD]


def last_sequence():
    return AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0


def assert_page_audited(name, declared, kwargs, since):
    """A 200 from a page that shows personal data wrote the event for it."""
    reads = AuditEvent.objects.filter(sequence__gt=since, action__in=READS)
    value = kwargs[declared.kwarg]
    if declared.lookup != "pk":
        value = apps.get_model(declared.record)._default_manager.get(**{declared.lookup: value}).pk
    assert reads.filter(object_type=declared.record, object_id=str(value)).exists(), (
        f"{name} showed {declared.record} {value} and wrote no view event")


STAFF = staff_patterns()
IDS = [name or route for route, name, _ in STAFF]


@pytest.mark.parametrize(("route", "name", "entry"), STAFF, ids=IDS)
def test_every_staff_view_declares_an_action(route, name, entry):
    assert view_action(entry.callback) is not None, f"{name or route} declares no action"


@pytest.mark.parametrize(("route", "name", "entry"), STAFF, ids=IDS)
def test_every_staff_view_declares_what_it_shows(route, name, entry):
    declared = view_shows(entry.callback)
    assert declared is not None, (
        f"{name or route} declares neither @shows, @shows_many nor @shows_nothing_personal")
    if declared.record and not declared.many:
        assert declared.kwarg in route, f"{name or route} shows a record its URL does not name"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name", "entry"), STAFF, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client, route, name, entry):
    user = UserFactory()
    response = client.get(sample_path(route, name, entry, user))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("route", "name", "entry"), STAFF, ids=IDS)
def test_each_role_gets_what_the_matrix_says(staff_client, role, route, name, entry):
    client = staff_client(role)
    action = view_action(entry.callback)
    allowed = action in ANY_SIGNED_IN_USER or role in ROLE_MATRIX[action]
    path, kwargs = sample_request(route, name, entry, client.user)
    since = last_sequence()
    response = client.get(path)
    # Whatever the answer, no browser or proxy keeps it (core.middleware).
    assert response["Cache-Control"] == "private, no-store", name or route
    if allowed:
        assert response.status_code != 403, f"{role} should reach {name or route}"
        assert response.status_code < 500
        declared = view_shows(entry.callback)
        if response.status_code == 200 and declared.record and not declared.many:
            assert_page_audited(name, declared, kwargs, since)
    else:
        assert response.status_code == 403, f"{role} should be refused {name or route}"


@pytest.mark.django_db
def test_django_admin_is_for_system_administrators_only(staff_client):
    for role in Role.values:
        status = staff_client(role).get("/staff/django-admin/").status_code
        assert status == (200 if role == Role.SYSTEM_ADMINISTRATOR else 403), role
