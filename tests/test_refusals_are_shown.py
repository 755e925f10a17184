"""Every refused POST says why.

Walks the whole URLconf for views that accept POST and holds each to one of:

- FORM: the page re-renders its form. Every form is made to refuse (a
  non-field error, as a service's refusal arrives through `add_errors`), and
  the page must show the GOV.UK error summary with the reason, linked to
  where the form repeats it. Forms with no fields (approve, cancel, remove,
  "are you sure?") are held to it like any other.
- BUTTON: a POST that is not a form of fields (a button that goes back to
  the page it came from, a page that builds its own summary). The service it
  calls is made to refuse, and the page the user lands on must say why.
- CANNOT REFUSE: a confirmation whose service never refuses; a test checks
  the service still raises no ValidationError.
- EXEMPT: not a page form, with the reason why.

A new POST URL fails `test_every_post_url_is_covered` until it is added to
COVERAGE, so none escapes. Sample URL arguments come from the URL × role
matrix (tests/test_url_role_matrix.py SAMPLE_KWARGS).
"""

import importlib
import inspect
from dataclasses import dataclass
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import get_resolver, reverse

from conftest import sign_in
from prevent_hub.access.middleware import view_action
from prevent_hub.access.policy import ANY_SIGNED_IN_USER, ROLE_MATRIX
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory

from .test_url_role_matrix import sample_request, walk

REFUSAL = "Refused for this test: nothing was saved (fictional reason)"


@dataclass(frozen=True)
class Form:
    """A form page: re-rendered with the refusal in its error summary.
    `kwargs(user)` and `setup(client, user) -> extra POST data` put the
    page in the state where it shows its form; `second_factor=False` is for
    the sign-in steps before it."""

    kwargs: object = None
    setup: object = None
    second_factor: bool = True


@dataclass(frozen=True)
class Button:
    """A POST that is not a form of fields: `service` ("module.attribute",
    where the view finds it) refuses, and the page the user lands on says
    why (error summary or notification banner)."""

    service: str
    kwargs: object = None


@dataclass(frozen=True)
class CannotRefuse:
    """A confirmation whose service never refuses (it raises no
    ValidationError): nothing to show, checked so it stays that way."""

    service: str


@dataclass(frozen=True)
class Exempt:
    reason: str


FORM = Form()


def _another_user(user):
    return {"pk": UserFactory(roles=[Role.PANEL_MEMBER]).pk}


def _another_session(user):
    from prevent_hub.accounts.tests.helpers import another_session_reference

    return {"reference": another_session_reference(user)}


def _with_a_panel(client, user):
    from prevent_hub.panels.tests.factories import PanelFactory

    PanelFactory()
    return {}


def _first_page(prefix):
    from prevent_hub.referrals.forms import JOURNEYS

    return lambda user: {"page": JOURNEYS[prefix].pages[0].slug}


def _intake_draft(prefix):
    """A draft this browser is working on, as the intake pages remember it."""

    def setup(client, user):
        from prevent_hub.referrals.forms import JOURNEYS
        from prevent_hub.referrals.tests.factories import ReferralDraftFactory
        from prevent_hub.referrals.views.intake import SESSION_KEY

        draft = ReferralDraftFactory(kind=JOURNEYS[prefix].kind)
        session = client.session
        session[SESSION_KEY] = {"drafts": {prefix: str(draft.pk)}}
        session.save()
        return {"draft": str(draft.pk)}

    return setup


def _with_a_device(client, user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return {}


def _with_recovery_codes(client, user):
    from django_otp.plugins.otp_static.models import StaticDevice

    _with_a_device(client, user)
    StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    return {}

# Venue booking requests and the booker's pages ----------------------------------------


def _venue_room(client, user):
    from prevent_hub.venues.tests.factories import officer, venue_with_room

    venue_with_room(acting_user=officer())
    return {}


def _venue_draft(client, user):
    """A booking request this browser is working on, as far as its speakers."""
    from prevent_hub.venues.public_views import SESSION_KEY
    from prevent_hub.venues.tests.factories import officer, request_answers, request_fill, venue_with_room

    room = venue_with_room(acting_user=officer())[1]
    answers = request_answers(room)
    request_fill(client, {page: answers[page] for page in ("venue-and-room", "date-and-time")})
    client.post(reverse("venue-hire:request-speaker-add"), {"name": "Sam Example", "topic": "Poems"})
    return {"draft": str(client.session[SESSION_KEY]["draft"])}


def _venue_booking(outcome=None):
    """The booker's session holding a booking (decided with `outcome`)."""

    def setup(client, user):
        from prevent_hub.venues.services import booking_link_issue
        from prevent_hub.venues.tests.factories import booking_submitted, decided, officer, venue_with_room

        booking = booking_submitted(venue_with_room(acting_user=officer())[1])
        if outcome:
            decided(booking, outcome)
        token = booking_link_issue(booking_id=booking.pk)[1]
        client.get(reverse("venue-hire:booking", kwargs={"token": token}))
        return {}

    return setup


def _population_checked(client, user):
    """Figures checked and waiting for "Load", as the check page signs them."""
    from prevent_hub.statistics.population_forms import signed_figures

    return {"checked": signed_figures(year=2021, source="Fictional census", figures={("total", "all"): 1000})}


VENUE_HIRE = {
    "venue-hire:request-start": Exempt("“start a new request” forgets this browser's draft: nothing to "
                                       "refuse"),
    "venue-hire:request-page": Form(kwargs=lambda user: {"page": "venue-and-room"}, setup=_venue_room),
    "venue-hire:request-check": Form(setup=_venue_draft),
    "venue-hire:request-save": Form(setup=_venue_draft),
    "venue-hire:request-file-remove": Exempt("removes the visitor's own upload from their draft"),
    "venue-hire:request-speaker-add": Form(setup=_venue_draft),
    "venue-hire:request-speaker": Form(kwargs=lambda user: {"number": 1}, setup=_venue_draft),
    "venue-hire:request-speaker-remove": Exempt("takes a speaker off the visitor's own draft"),
    "venue-hire:change": Form(setup=_venue_booking()),
    "venue-hire:change-page": Form(kwargs=lambda user: {"page": "date-and-time"}, setup=_venue_booking()),
    "venue-hire:change-speaker-add": Form(setup=_venue_booking()),
    "venue-hire:change-speaker": Form(kwargs=lambda user: {"number": 1}, setup=_venue_booking()),
    "venue-hire:change-speaker-remove": Exempt("takes a speaker off the booker's own unsent change"),
    "venue-hire:withdraw": Form(setup=_venue_booking()),
    "venue-hire:appeal": Form(setup=_venue_booking("refuse")),
    "venue-hire:lost-link": FORM,
}

# complaints: public form


def _complaint_answers(client, user):
    """A complaint this browser has answered every question of, not yet sent."""
    from prevent_hub.complaints.tests.public_helpers import draft, fill

    fill(client)
    return {"draft": draft(client)["id"]}


COMPLAIN = {
    "complain:start": Exempt("“start again” forgets this browser's unsent answers: nothing to refuse"),
    "complain:page": Form(kwargs=lambda user: {"page": "about-you"}),
    "complain:check": Form(setup=_complaint_answers),
}

COVERAGE = {
    # Signing in and accounts.
    "accounts:sign-in": FORM,
    "accounts:second-factor-setup": Form(second_factor=False),
    "accounts:second-factor": Form(second_factor=False, setup=_with_a_device),
    "accounts:second-factor-recovery": Form(second_factor=False, setup=_with_recovery_codes),
    "accounts:sign-out": Exempt("signing out cannot be refused"),
    "accounts:password-reset": FORM,
    "accounts:password-reset-confirm": Exempt("needs a live reset link; its form is the set-password "
                                              "form, covered by accounts' own tests"),
    "accounts:password-change": FORM,
    "accounts:account-recovery-codes": FORM,
    "accounts:account-sign-out-others": FORM,
    "accounts:account-session-sign-out": Form(kwargs=_another_session),
    "accounts:keep-alive": Exempt("the session timeout's background request, not a form"),
    # Administration.
    "administration:user-create": FORM,
    "administration:user-edit": FORM,
    "administration:user-roles": FORM,
    "administration:user-deactivate": Form(kwargs=_another_user),
    "administration:user-reactivate": CannotRefuse("prevent_hub.accounts.services.user_reactivate"),
    "administration:user-reset-second-factor": Exempt("its refusals (your own account, nothing set up) "
                                                      "are messages on the account page"),
    "administration:user-sessions-end": Exempt("its one refusal (your own account) is a message on the "
                                               "account page"),
    "administration:sessions-end-all": FORM,
    "administration:user-send-set-password-email": CannotRefuse(
        "prevent_hub.accounts.emails.send_set_password_email"),
    "administration:organisation-create": FORM,
    "administration:organisation-edit": FORM,
    "administration:contact-edit": FORM,
    "administration:contact-mark-checked": CannotRefuse(
        "prevent_hub.directory.services.contact_mark_checked"),
    "administration:routing-rule-create": FORM,
    "administration:routing-rule-edit": FORM,
    "administration:vaf-edit": FORM,
    "administration:retention-edit": FORM,
    "api:token-revoke": CannotRefuse("prevent_hub.api.services.api_token_revoke"),
    # Referrals, triage and people.
    "triage:share": FORM,
    "triage:gateway-outcome": FORM,
    "triage:reporting-details": FORM,
    "people:edit": FORM,
    "people:merge-confirm": FORM,
    "people:not-same": FORM,
    "people:merge-undo": FORM,
    "people:identify": FORM,
    "intake:concern-start": Exempt("“start again” forgets this browser's draft: nothing to refuse"),
    "intake:concern-check": Form(setup=_intake_draft("concern")),
    "intake:concern-save": Form(setup=_intake_draft("concern")),
    "intake:concern-attachment-remove": Exempt("removes the visitor's own upload from their draft"),
    "intake:concern-page": Form(kwargs=_first_page("concern")),
    "intake:referral-start": Exempt("“start again” forgets this browser's draft: nothing to refuse"),
    "intake:referral-check": Form(setup=_intake_draft("referral")),
    "intake:referral-save": Form(setup=_intake_draft("referral")),
    "intake:referral-attachment-remove": Exempt("removes the visitor's own upload from their draft"),
    "intake:referral-page": Form(kwargs=_first_page("referral")),
    "intake:my-draft-delete": CannotRefuse("prevent_hub.referrals.drafts.referral_draft_delete"),
    "public:get-help-question": Form(kwargs=lambda user: {"slug": "immediate-danger"}),
    # Channel cases.
    "channel:case-decision": FORM,
    "channel:case-team": FORM,
    "channel:case-team-remove": CannotRefuse("prevent_hub.channel.services.case_team_remove"),
    "channel:case-information-request-add": FORM,
    "channel:case-information-request-answer": FORM,
    "channel:case-note-add": FORM,
    "channel:case-note-correction": FORM,
    "channel:case-document-add": FORM,
    "channel:case-consent-request": FORM,
    "channel:case-consent-answer": FORM,
    "channel:case-consent-withdraw": FORM,
    "channel:case-consent-seek-again": FORM,
    "channel:case-support-plan": FORM,
    "channel:case-support-provider-add": FORM,
    "channel:case-support-provider-remove": FORM,
    "channel:case-support-action-add": FORM,
    "channel:case-support-action-done": FORM,
    "channel:case-support-start": FORM,
    "channel:case-session-record": FORM,
    "channel:assessment-new": FORM,
    "channel:assessment-edit-factors": FORM,
    "channel:assessment-edit-judgement": FORM,
    "channel:assessment-check": Button("prevent_hub.channel.assessments.assessment_complete"),
    "channel:case-close-after-exit": FORM,
    "channel:case-transfer": FORM,
    # Panels.
    "panels:panel-create": FORM,
    "panels:panel": FORM,
    "panels:panel-edit": FORM,
    "panels:panel-member-remove": CannotRefuse("prevent_hub.panels.services.panel_member_remove"),
    "panels:meeting-schedule": Form(setup=_with_a_panel),
    "panels:agenda-build": Button("prevent_hub.panels.agenda.agenda_build"),
    "panels:agenda-add": FORM,
    "panels:notice": Exempt("its one refusal (not a scheduled meeting) is a message, tested in panels"),
    "panels:meeting-cancel": FORM,
    "panels:attendance": Form(setup=lambda client, user: {"form": "present"}),
    # (The attendance page's second form, for other attendees, posts form=other to the same view.)
    "panels:attendance-remove": Button("prevent_hub.panels.services.attendance_remove"),
    "panels:minutes-notes": FORM,
    "panels:minutes-approve": FORM,
    "panels:minutes-addendum": FORM,
    "panels:item-decide": FORM,
    "panels:item-invite": FORM,
    "panels:item-area": FORM,
    "panels:item-minute": FORM,
    "panels:item-move": Button("prevent_hub.panels.agenda.agenda_item_move"),
    "panels:item-remove": Button("prevent_hub.panels.agenda.agenda_item_remove"),
    "panels:outside-decision-new": FORM,
    "records:hold-place": FORM,
    "records:hold-lift": FORM,
    "records:run-preview": FORM,
    # Data protection rights requests.
    "rights:request-new": FORM,
    "rights:request-verify": FORM,
    "rights:request-person": FORM,
    "rights:request-venue-bookings": FORM,
    # complaints: subject access
    "rights:request-complaints": FORM,
    "rights:request-extend": FORM,
    "rights:request-decide": FORM,
    "rights:request-restriction-lift": FORM,
    "rights:bundle-prepare": Button("prevent_hub.rights.services.bundle_prepare"),
    "rights:bundle-redact": FORM,
    "rights:bundle-redaction-remove": Button("prevent_hub.rights.services.redaction_remove"),
    "rights:bundle-approve": FORM,
    "rights:bundle-release": FORM,
    # Venue bookings: the officer's workflow
    "venues:booking-check": FORM,
    "venues:booking-evidence-add": FORM,
    "venues:booking-escalate": FORM,
    "venues:booking-advise": FORM,
    "venues:booking-decide": FORM,
    "venues:booking-appeal-decide": FORM,
    "venues:booking-cancel": FORM,
    "venues:booking-letter-write": FORM,
    **VENUE_HIRE,
    **COMPLAIN,
    # Venues: administration, calendars and dashboard
    **{f"venues:{name}": FORM for name in (
        "venue-new", "venue-edit", "room-new", "room-edit", "opening-hours", "closure-new", "closure-remove",
        "conditions-publish", "letter-edit")},
    # complaints: complaint pages
    **{f"complaints:{name}": FORM for name in (
        "record", "letter-template", "complaint-triage", "complaint-link", "complaint-unlink",
        "complaint-consent", "complaint-acknowledge", "complaint-pass-on", "complaint-share-with-stacu",
        "complaint-signpost", "complaint-extend", "complaint-withdraw", "complaint-investigator",
        "complaint-note-add", "complaint-document-add", "complaint-point-add", "complaint-finding",
        "complaint-conclusions", "complaint-response")},
    # training: learners, courses, imports; subject access
    **{f"training:{name}": FORM for name in (
        "learner-add", "learner-edit", "learner-left", "completion-add", "completion-remove", "own-add",
        "course-add", "course-edit", "imports")},
    "training:import-start": Button("prevent_hub.training.imports.training_import_start"),
    "rights:request-learners": FORM,
    "legacy_import:imports": FORM,
    "legacy_import:import-start": Button("prevent_hub.legacy_import.imports.referral_import_start"),
    # statistics: the area's population
    "statistics:population-load": FORM,
    "statistics:population-load-confirm": Form(setup=_population_checked),
}

# Whole parts of the URLconf that are not page forms.
EXEMPT_PREFIXES = {
    "staff/django-admin/": "Django's own admin, for system administrators",
    "api/": "the JSON API answers refusals as problem+json (tests/test_api_matrix.py, schemathesis)",
}


def accepted_methods(callback) -> set[str] | None:
    """The HTTP methods a view accepts (None: any method)."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {name.upper() for name in view_class.http_method_names if hasattr(view_class, name)}
    seen, view = set(), callback
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return set(view.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def post_urls():
    found = []
    for route, name, entry in walk(get_resolver().url_patterns):
        if any(route.lstrip("^").startswith(prefix.rstrip("/")) for prefix in EXEMPT_PREFIXES):
            continue
        methods = accepted_methods(entry.callback)
        if methods is None or "POST" in methods:
            found.append((route, name, entry))
    return found


POST_URLS = post_urls()
# Views with no method restriction accept POST too; those that are GET pages
# (searches, lists) say so here rather than being covered as forms.
GET_PAGES = {
    "audit:search": "a search form that submits by GET",
    "audit:export": "a download",
    "audit:record-access": "a list",
    "staff:home": "the staff home page",
    "staff:not-found": "the staff not-found page",
}
COVERED_URLS = [entry for entry in POST_URLS if entry[1] not in GET_PAGES]
# The URLs whose refused POST is tried: exemptions and confirmations that
# cannot refuse are held to their own tests below, not skipped.
REFUSABLE_URLS = [entry for entry in COVERED_URLS
                  if not isinstance(COVERAGE.get(entry[1]), Exempt | CannotRefuse)]


def test_every_post_url_is_covered():
    names = {name for _, name, _ in POST_URLS}
    assert None not in names, "every URL that accepts POST needs a name, to be covered here"
    missing = sorted(names - set(COVERAGE) - set(GET_PAGES))
    assert missing == [], f"add these POST URLs to COVERAGE (how a refusal is shown): {missing}"
    stale = sorted(set(COVERAGE) - names)
    assert stale == [], f"no longer POST URLs, take them out of COVERAGE: {stale}"
    assert len(names) > 80


def test_the_method_finder_sees_decorated_views():
    from django.views.decorators.http import require_GET, require_http_methods, require_POST

    def view(request):
        return None

    assert accepted_methods(require_POST(view)) == {"POST"}
    assert accepted_methods(require_GET(view)) == {"GET"}
    assert accepted_methods(require_http_methods(["GET", "POST"])(view)) == {"GET", "POST"}
    assert accepted_methods(view) is None


def role_for(callback):
    """A role that may use the view (None: it is for anyone, signed in or not)."""
    action = view_action(callback)
    if action is None:
        return None
    if action in ANY_SIGNED_IN_USER:
        return Role.PREVENT_COORDINATOR
    allowed = ROLE_MATRIX[action]
    for role in (Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.SYSTEM_ADMINISTRATOR):
        if role in allowed:
            return role
    return sorted(allowed)[0]


def client_for(role, *, second_factor=True):
    client = Client()
    user = UserFactory(roles=[role] if role else [])
    if role:
        sign_in(client, user, second_factor=second_factor)
    return client, user


def refusing_forms():
    """Every bound form refuses, as a service does: a non-field error after
    its own checks."""
    original = forms.BaseForm.full_clean

    def full_clean(self):
        original(self)
        if self.is_bound and self._errors is not None:
            self.add_error(None, REFUSAL)

    return mock.patch.object(forms.BaseForm, "full_clean", full_clean)


def shows_form_fields(soup) -> bool:
    """Whether the page still shows a form to fill in (a page may show,
    instead, why the action is no longer possible)."""
    for form in soup.find_all("form", method="post"):
        if form.find_parent("dialog"):
            continue  # the session timeout's sign-out
        if form.find(["select", "textarea"]) or form.find("input", type=lambda t: t not in ("hidden",)):
            return True
    return False


def error_summary(html: str):
    return BeautifulSoup(html, "html5lib").find(class_="govuk-error-summary")


def assert_refusal_shown(html: str, name: str):
    soup = BeautifulSoup(html, "html5lib")
    summary = soup.find(class_="govuk-error-summary")
    assert summary is not None, f"{name}: a refused POST shows no error summary"
    assert REFUSAL in summary.get_text(" ", strip=True), f"{name}: the error summary does not give the reason"
    if shows_form_fields(soup) or soup.find(id="form-errors"):
        for link in summary.find_all("a"):
            if REFUSAL in link.get_text() and link["href"].startswith("#"):
                target = link["href"].removeprefix("#")
                assert soup.find(id=target) is not None, f"{name}: the summary links to #{target}, not here"


def path_for(route, name, entry, user, kwargs):
    if kwargs is not None:
        return reverse(name, kwargs=kwargs(user))
    return sample_request(route, name, entry, user)[0]


@pytest.mark.parametrize("name", sorted(name for name, coverage in COVERAGE.items()
                                        if isinstance(coverage, CannotRefuse)))
def test_confirmations_that_cannot_be_refused_still_cannot(name):
    module, attribute = COVERAGE[name].service.rsplit(".", 1)
    source = inspect.getsource(getattr(importlib.import_module(module), attribute))
    assert "ValidationError" not in source, (
        f"{name}: {COVERAGE[name].service} can refuse now; cover it as a Form or Button so its reason "
        "is shown")


def test_every_exemption_says_why():
    exempt = {name: coverage.reason for name, coverage in COVERAGE.items() if isinstance(coverage, Exempt)}
    assert all(len(reason) > 20 for reason in exempt.values()), exempt
    assert len(REFUSABLE_URLS) > len(exempt) * 3  # exemptions stay the exception


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name", "entry"), REFUSABLE_URLS,
                         ids=[n or r for r, n, _ in REFUSABLE_URLS])
def test_a_refused_post_says_why(route, name, entry):
    coverage = COVERAGE[name]
    role = role_for(entry.callback)
    if isinstance(coverage, Form):
        if not coverage.second_factor:
            role = role or Role.PREVENT_COORDINATOR  # signed in, second factor still to come
        client, user = client_for(role, second_factor=coverage.second_factor)
        path = path_for(route, name, entry, user, coverage.kwargs)
        extra = coverage.setup(client, user) if coverage.setup else {}
        with refusing_forms():
            # A browser always sends something (the CSRF token at least), so
            # forms made with `request.POST or None` are bound.
            response = client.post(path, {"csrfmiddlewaretoken": "sent", **extra})
        assert response.status_code in (200, 400), f"{name}: a refused POST answered {response.status_code}"
        assert_refusal_shown(response.content.decode(), name)
    else:
        client, user = client_for(role)
        path = path_for(route, name, entry, user, coverage.kwargs)
        refuse = mock.Mock(side_effect=ValidationError(REFUSAL, code="refused"))
        with mock.patch(coverage.service, refuse):
            response = client.post(path, {"csrfmiddlewaretoken": "sent"}, follow=True)
        assert refuse.called, f"{name}: {coverage.service} was not what the view called"
        soup = BeautifulSoup(response.content, "html5lib")
        shown = soup.find(class_=["govuk-error-summary", "govuk-notification-banner"])
        assert shown is not None and REFUSAL in shown.get_text(), f"{name}: the refusal is not shown"


# Real refusals, end to end -------------------------------------------------------------


@pytest.mark.django_db
def test_refused_approval_of_minutes_names_the_undecided_items():
    from prevent_hub.channel.models import CaseStatus
    from prevent_hub.channel.tests.factories_reviews import case_in
    from prevent_hub.panels.models import ItemDecision, MinutesStatus
    from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, police_present
    from prevent_hub.panels.tests.helpers import days, decide

    meeting = PanelMeetingFactory(date=days(-1))
    police_present(meeting)
    items = [item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)) for _ in range(4)]
    decide(items[2], ItemDecision.ADOPT)
    client = Client()
    sign_in(client, meeting.panel.chair)

    response = client.post(reverse("panels:minutes-approve", kwargs={"pk": meeting.pk}),
                           {"csrfmiddlewaretoken": "sent"})

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    summary = soup.find(class_="govuk-error-summary")
    assert "Not yet decided: items 1, 2 and 4" in summary.get_text(" ", strip=True)
    link = summary.find("a")
    assert "Not yet decided" in soup.find(id=link["href"].removeprefix("#")).get_text()
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.status == MinutesStatus.DRAFT


@pytest.mark.django_db
def test_a_refused_confirmation_in_a_case_says_why(staff_client):
    from prevent_hub.channel.models import SessionStatus, SupportProvider
    from prevent_hub.channel.support import support_session_record
    from prevent_hub.channel.tests.factories_consent_support import (
        case_in_support,
        plan_for,
        provider_for,
    )

    client = staff_client(Role.PREVENT_COORDINATOR)
    case = case_in_support()
    provider = provider_for(plan_for(case))
    support_session_record(case=case, held_on=case.support_started_on, status=SessionStatus.DELIVERED,
                           provider=provider, acting_user=client.user)
    url = reverse("channel:case-support-provider-remove", kwargs={"pk": case.pk, "provider_pk": provider.pk})

    response = client.post(url, {"csrfmiddlewaretoken": "sent"})

    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "Sessions have been recorded with this provider, so it stays on the plan" in summary.get_text()
    assert SupportProvider.objects.filter(pk=provider.pk).exists()
