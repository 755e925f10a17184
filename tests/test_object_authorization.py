"""Object-level authorization, for every URL that names a record.

test_url_role_matrix proves each role reaches exactly the actions
docs/access.md gives it. This suite proves the rules about *which record*:
for every staff URL and API operation whose path names a record (a referral,
case, person, meeting, booking, complaint, rights request, upload...), a
user of another case team, of another organisation, or with a role that may
not take the action, gets 403 or 404 and never the record: its distinctive
synthetic text is not in the answer, nothing is downloaded, a POST changes
nothing, and the refusal is in the audit trail. A user who may (the owner)
gets the page on the same record, so no case passes for want of a record.

The table is checked against the resolver: a new URL with an argument fails
`test_every_url_with_an_argument_is_in_this_suite` until it is in OBJECT_URLS
or in NOT_OBJECT_LEVEL with a reason.
"""

import hashlib
import json
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import get_resolver, reverse

from conftest import sign_in
from prevent_hub.access.middleware import view_action
from prevent_hub.access.policy import ANY_SIGNED_IN_USER, NEED_CASE_TEAM, ROLE_MATRIX, Action
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent, RefusalTally
from prevent_hub.audit.shows import view_shows

from .test_refusals_are_shown import accepted_methods
from .test_url_role_matrix import SAMPLE_KWARGS, has_parameters, walk

# --- who asks -------------------------------------------------------------------------------------

ANOTHER_TEAM = "another case team"
ANOTHER_ORG = "another organisation"
NO_ACTION = "role without the action"
ANOTHER_USER = "another user"


@dataclass(frozen=True)
class Outsider:
    """Someone who must not get the record: `make(owner, kwargs)` → a user;
    `kwargs(owner_kwargs)`, if given, names a different record for them
    (one the rule in question keeps from them)."""

    kind: str
    make: object
    kwargs: object = None


def user_with(*roles, **fields):
    return UserFactory(roles=list(roles), **fields)


def signed_in(user):
    client = Client()
    sign_in(client, user)
    return client


def case_named_by(name, kwargs):
    ChannelCase = apps.get_model("channel", "ChannelCase")
    if "case_pk" in kwargs:
        return ChannelCase.objects.get(pk=kwargs["case_pk"])
    if name == "channel:person-timeline":
        return ChannelCase.objects.filter(person_id=kwargs["pk"]).first()
    if name == "panels:outside-decision":
        return apps.get_model("panels", "OutsideMeetingDecision").objects.get(pk=kwargs["pk"]).case
    return ChannelCase.objects.get(pk=kwargs["pk"])


def meeting_named_by(kwargs):
    return apps.get_model("panels", "PanelMeeting").objects.get(pk=kwargs["pk"])


def on_another_case_team(role):
    """A panel member or provider on the team of a case other than this one."""

    def make(owner, kwargs):
        from prevent_hub.channel.tests.factories import case_visible_to

        user = user_with(role)
        case_visible_to(user)
        return user

    return make


def on_this_case_team(role, name):
    """Someone on this very case's team whose role may not take the action."""

    def make(owner, kwargs):
        from prevent_hub.channel.tests.factories import team_member_add

        user = user_with(role)
        team_member_add(case_named_by(name, kwargs), user)
        return user

    return make


def invited_to_another_meeting(role):
    def make(owner, kwargs):
        from prevent_hub.panels.tests.factories import meeting_visible_to

        user = user_with(role)
        meeting_visible_to(user)
        return user

    return make


def invited_to_this_meeting(role):
    def make(owner, kwargs):
        from prevent_hub.panels.tests.factories import member_add

        user = user_with(role)
        member_add(meeting_named_by(kwargs).panel, user)
        return user

    return make


def on_this_panel(role):
    def make(owner, kwargs):
        from prevent_hub.panels.tests.factories import member_add

        user = user_with(role)
        member_add(apps.get_model("panels", "Panel").objects.get(pk=kwargs["panel_pk"]), user)
        return user

    return make


def investigating_another_complaint(owner, kwargs):
    from prevent_hub.complaints.tests.factories import matrix_complaint

    user = user_with(Role.INVESTIGATING_OFFICER)
    matrix_complaint(user)
    return user


def investigating_this_complaint(owner, kwargs):
    user = user_with(Role.INVESTIGATING_OFFICER)
    apps.get_model("complaints", "Complaint").objects.filter(
        reference=kwargs["reference"]).update(investigator=user)
    return user


def same_roles_as_owner(owner, kwargs):
    return user_with(*owner.roles)


def lead_of_another_organisation(owner, kwargs):
    return user_with(Role.TRAINING_LEAD)


def plain(role):
    return lambda owner, kwargs: user_with(role)


def unshared_referral(owner_kwargs):
    """A referral the council has not shared with police."""
    from prevent_hub.referrals.tests.factories import ReferralFactory

    return {**owner_kwargs, "reference": ReferralFactory().reference}


def unshared_referral_attachment(owner_kwargs):
    from prevent_hub.referrals.tests.factories import ReferralAttachmentFactory, ReferralFactory

    referral = ReferralFactory()
    return {"reference": referral.reference,
            "pk": ReferralAttachmentFactory(referral=referral, draft=None).pk}


def person_without_shared_referral(owner_kwargs):
    from prevent_hub.people.tests.factories import PersonFactory
    from prevent_hub.referrals.tests.factories import ReferralFactory

    return {**owner_kwargs, "pk": ReferralFactory(person=PersonFactory()).person_id}


def request_without_bundle(owner_kwargs):
    """A rights request with no subject access bundle yet (those who only
    approve bundles may not see it)."""
    from prevent_hub.rights.tests.factories import request_logged

    return {**owner_kwargs, "pk": request_logged().pk}


def complaint_record(owner_kwargs):
    from prevent_hub.complaints.tests.factories import complaint_received

    return {"object_type": "complaints.complaint", "object_id": complaint_received().pk}


# --- which record, whose, and who must not get it -------------------------------------------------


@dataclass(frozen=True)
class Entry:
    owner: tuple
    outsiders: tuple
    kwargs: object = None  # owner → kwargs; default: the URL × role matrix's SAMPLE_KWARGS
    statuses: tuple = (200, 302)
    owner_method: str = ""  # "" → GET if the view accepts it, else POST
    markers: tuple = field(default=())


def a_role_without(action, *prefer):
    for role in (*prefer, Role.VENUE_BOOKING_OFFICER, Role.AUDITOR, Role.COMPLAINTS_OFFICER):
        if action not in ANY_SIGNED_IN_USER and role not in ROLE_MATRIX[action]:
            return role
    raise AssertionError(f"every role may take {action}")


def case_entry(name, action):
    """Channel case URLs: panel members and providers act on a case only
    while on its team; other roles that may, on every case."""
    allowed = ROLE_MATRIX[action]
    if action in NEED_CASE_TEAM:
        team_role = Role.PANEL_MEMBER if Role.PANEL_MEMBER in allowed else Role.INTERVENTION_PROVIDER
        outsiders = [Outsider(ANOTHER_TEAM, on_another_case_team(team_role))]
        if Role.INTERVENTION_PROVIDER in allowed and team_role != Role.INTERVENTION_PROVIDER:
            outsiders.append(Outsider(ANOTHER_TEAM, on_another_case_team(Role.INTERVENTION_PROVIDER)))
        without = a_role_without(action, Role.INTERVENTION_PROVIDER)
        if without in (Role.INTERVENTION_PROVIDER, Role.PANEL_MEMBER):
            outsiders.append(Outsider(NO_ACTION, on_this_case_team(without, name)))
        else:
            outsiders.append(Outsider(NO_ACTION, plain(without)))
        return Entry(owner=(team_role,), outsiders=tuple(outsiders))
    owner = Role.PREVENT_COORDINATOR if Role.PREVENT_COORDINATOR in allowed else Role.CHANNEL_CHAIR
    outsiders = [Outsider(NO_ACTION, on_this_case_team(Role.PANEL_MEMBER, name))]
    if Role.POLICE_PRACTITIONER not in allowed:
        outsiders.append(Outsider(ANOTHER_ORG, plain(Role.POLICE_PRACTITIONER)))
    return Entry(owner=(owner,), outsiders=tuple(outsiders))


def meeting_entry(name, action):
    """Panel meetings: police and panel members see only the meetings they
    are invited to; managing a meeting is for coordinators and chairs."""
    if action == Action.PANEL_VIEW:
        return Entry(owner=(Role.PANEL_MEMBER,), outsiders=(
            Outsider(ANOTHER_TEAM, invited_to_another_meeting(Role.PANEL_MEMBER)),
            Outsider(ANOTHER_ORG, invited_to_another_meeting(Role.POLICE_PRACTITIONER)),
            Outsider(NO_ACTION, plain(Role.INTERVENTION_PROVIDER)),
        ))
    owner = Role.CHANNEL_CHAIR if action == Action.PANEL_MINUTES_APPROVE else Role.PREVENT_COORDINATOR
    return Entry(owner=(owner,), outsiders=(
        Outsider(NO_ACTION, invited_to_this_meeting(Role.PANEL_MEMBER)),
        Outsider(ANOTHER_ORG, invited_to_this_meeting(Role.POLICE_PRACTITIONER)),
    ))


def referral_entry(name, action):
    """Referrals: coordinators see all; police only those shared with them."""
    outsiders = [Outsider(NO_ACTION, plain(Role.PANEL_MEMBER))]
    if Role.POLICE_PRACTITIONER in ROLE_MATRIX[action]:
        unshared = unshared_referral_attachment if name == "triage:attachment" else unshared_referral
        outsiders.append(Outsider(ANOTHER_ORG, plain(Role.POLICE_PRACTITIONER), kwargs=unshared))
    else:
        outsiders.append(Outsider(NO_ACTION, plain(Role.POLICE_PRACTITIONER)))
    return Entry(owner=(Role.PREVENT_COORDINATOR,), outsiders=tuple(outsiders))


def person_entry(name, action):
    outsiders = [Outsider(NO_ACTION, plain(Role.PANEL_MEMBER))]
    if Role.POLICE_PRACTITIONER in ROLE_MATRIX[action]:
        outsiders.append(Outsider(ANOTHER_ORG, plain(Role.POLICE_PRACTITIONER),
                                  kwargs=person_without_shared_referral))
    else:
        outsiders.append(Outsider(NO_ACTION, plain(Role.POLICE_PRACTITIONER)))
    return Entry(owner=(Role.PREVENT_COORDINATOR,), outsiders=tuple(outsiders))


def complaint_entry(name, action):
    """Complaints: investigating officers only those they investigate."""
    if Role.INVESTIGATING_OFFICER in ROLE_MATRIX[action]:
        return Entry(owner=(Role.INVESTIGATING_OFFICER,), outsiders=(
            Outsider(ANOTHER_TEAM, investigating_another_complaint),
            Outsider(NO_ACTION, plain(Role.PREVENT_COORDINATOR)),
        ))
    return Entry(owner=(Role.COMPLAINTS_OFFICER,), outsiders=(
        Outsider(NO_ACTION, investigating_this_complaint),
        Outsider(NO_ACTION, plain(Role.PREVENT_COORDINATOR)),
    ))


def learner_entry(name, action):
    """Training records: a training lead sees their own organisation's only."""
    outsiders = [Outsider(NO_ACTION, plain(Role.PREVENT_COORDINATOR))]
    if Role.TRAINING_LEAD in ROLE_MATRIX[action]:
        outsiders.insert(0, Outsider(ANOTHER_ORG, lead_of_another_organisation))
        return Entry(owner=(Role.TRAINING_LEAD,), outsiders=tuple(outsiders))
    return Entry(owner=(Role.TRAINING_ADMINISTRATOR,), outsiders=(
        Outsider(NO_ACTION, plain(Role.TRAINING_LEAD)), *outsiders))


def by_role(name, action):
    """Records everyone whose role may take the action sees (reference data,
    venue bookings, legal holds, retention runs, rights requests...)."""
    allowed = ROLE_MATRIX[action]
    preferred = (Role.PREVENT_COORDINATOR, Role.DATA_PROTECTION_OFFICER, Role.VENUE_BOOKING_OFFICER,
                 Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR, Role.TRAINING_ADMINISTRATOR)
    owner = next(role for role in (*preferred, *sorted(allowed)) if role in allowed)
    outsiders = [Outsider(NO_ACTION, plain(a_role_without(action, Role.PREVENT_COORDINATOR)))]
    other = a_role_without(action, Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER)
    outsiders.append(Outsider(ANOTHER_ORG if other == Role.POLICE_PRACTITIONER else NO_ACTION, plain(other)))
    return Entry(owner=(owner,), outsiders=tuple(outsiders))


def own_record(role):
    """Records that are one user's own (drafts, their training certificates):
    anyone else, whatever their role, gets 404."""
    return lambda name, action: Entry(owner=(role,), outsiders=(
        Outsider(ANOTHER_USER, same_roles_as_owner),
        Outsider(ANOTHER_USER, plain(Role.TRAINING_ADMINISTRATOR)),
    ))


FAMILIES = {
    "channel.channelcase": case_entry,
    "panels.panelmeeting": meeting_entry,
    "panels.agendaitem": meeting_entry,
    "referrals.referral": referral_entry,
    "people.person": person_entry,
    "people.personmerge": person_entry,
    "complaints.complaint": complaint_entry,
    "training.learner": learner_entry,
}

# URL name → how it is tested, where the record it names does not say.
OVERRIDES = {
    "channel:person-timeline": case_entry,
    "panels:outside-decision": case_entry,
    "panels:panel": lambda name, action: Entry(owner=(Role.PREVENT_COORDINATOR,), outsiders=(
        Outsider(NO_ACTION, on_this_panel(Role.PANEL_MEMBER)),
        Outsider(ANOTHER_ORG, on_this_panel(Role.POLICE_PRACTITIONER)))),
    "intake:my-draft-continue": own_record(Role.PREVENT_COORDINATOR),
    "intake:my-draft-delete": own_record(Role.PREVENT_COORDINATOR),
    "training:own-evidence": own_record(Role.PANEL_MEMBER),
    # One of the user's own other sessions, by a reference derived from its key.
    "accounts:account-session-sign-out": own_record(Role.PREVENT_COORDINATOR),
    "audit:record-access": lambda name, action: Entry(
        owner=(Role.PREVENT_COORDINATOR,),
        kwargs=lambda user: {"object_type": "referrals.referral",
                             "object_id": apps.get_model("referrals", "Referral").objects.get(
                                 reference=unshared_referral({})["reference"]).pk},
        outsiders=(
            # Who accessed a record is shown only for records the user may see.
            Outsider(NO_ACTION, plain(Role.PREVENT_COORDINATOR), kwargs=complaint_record),
            Outsider(NO_ACTION, plain(Role.POLICE_PRACTITIONER)),
        )),
}
OVERRIDES["panels:panel-edit"] = OVERRIDES["panels:panel-member-remove"] = OVERRIDES["panels:panel"]


def rights_approval(name, action):
    """Coordinators approve subject access bundles: they see a request only
    once it has one."""
    entry = by_role(name, action)
    return Entry(owner=(Role.PREVENT_COORDINATOR,), outsiders=(
        Outsider(NO_ACTION, plain(Role.PREVENT_COORDINATOR), kwargs=request_without_bundle),
        *entry.outsiders))


for _name in ("rights:bundle-approve", "rights:bundle-pdf", "rights:bundle-json"):
    OVERRIDES[_name] = rights_approval


# --- what is object-level -------------------------------------------------------------------------

# URL patterns with an argument that names no record anyone could be refused,
# each with the reason.
NOT_OBJECT_LEVEL = {
    "staff:not-found": "the staff area's not-found page: its argument is any unknown path",
    "accounts:password-reset-confirm": "a password reset link: the signed token is the proof",
    "administration:vaf-version": "a published version of the VAF's wording: reference data",
    "administration:retention-history": "a kind of record's retention periods: reference data",
    "administration:retention-edit": "a kind of record's retention periods: reference data",
    "venues:conditions-version": "a published version of the booking conditions: reference data",
    "venues:letter-edit": "the wording of a kind of letter to bookers: reference data",
    "complaints:letter-template": "the wording of a kind of letter to complainants: reference data",
    "training:course-edit": "a course, by its code: reference data",
    **{f"assurance:{name}": "a financial year's figures, no record about anyone (figures only)"
       for name in ("summary-year", "summary-csv", "summary-xlsx")},
    **{f"statistics:{name}": "a financial year's suppressed statistics, no record about anyone"
       for name in ("year", "download", "equality-year", "equality-download")},
    "statistics:population-set": "the area's published population for a census year: reference data",
    # Public pages: their arguments are pages of a journey or a number within
    # this browser's own draft, held in its session; the records they name
    # are tested below (test_a_public_upload_of_another_browser_cannot_be_removed).
    "intake:concern-page": "a page of the public form, within this browser's own draft",
    "intake:referral-page": "a page of the practitioner form, within this browser's own draft",
    "intake:concern-resume": "a resume link: the unguessable token is the proof (referrals tests)",
    "intake:referral-resume": "a resume link: the unguessable token is the proof (referrals tests)",
    "intake:concern-attachment-remove": "an upload of this browser's draft: tested below",
    "intake:referral-attachment-remove": "an upload of this browser's draft: tested below",
    "venue-hire:request-resume": "a resume link: the unguessable token is the proof (venues tests)",
    "venue-hire:request-file-remove": "an upload of this browser's booking request: tested below",
    "venue-hire:request-speaker": "a speaker by number within this browser's own request",
    "venue-hire:request-speaker-remove": "a speaker by number within this browser's own request",
    "venue-hire:request-page": "a page of the booking request form, within this browser's own draft",
    "venue-hire:booking": "the booker's link to their booking: the unguessable token is the proof",
    "venue-hire:change-speaker": "a speaker by number within the booking this browser signed in to",
    "venue-hire:change-speaker-remove": "a speaker by number within the booking this browser signed in to",
    "venue-hire:change-page": "a page of the change form, within the booking this browser signed in to",
    "complain:page": "a page of the public complaint form, within this browser's own draft",
    "public:get-help-question": "a question of the public 'Get help' pages",
}
# Whole parts of the URLconf, with the reason.
NOT_OBJECT_LEVEL_PREFIXES = {
    "staff/django-admin/": ("Django's admin: system administrators only, over reference data and "
                            "devices (test_django_admin_objects_are_for_system_administrators_only)"),
    "api/": "the partner API: its operations are in API_OPERATIONS below",
}


def argument_urls():
    found = []
    for route, name, entry in walk(get_resolver().url_patterns):
        if has_parameters(route, entry):
            found.append((route.lstrip("^"), name, entry))
    return found


ARGUMENT_URLS = argument_urls()


def exempt_by_prefix(route):
    return any(route.startswith(prefix) for prefix in NOT_OBJECT_LEVEL_PREFIXES)


def entry_for(name, callback):
    action = view_action(callback)
    if name in OVERRIDES:
        return OVERRIDES[name](name, action)
    declared = view_shows(callback)
    record = declared.record if declared else ""
    return FAMILIES.get(record, by_role)(name, action)


OBJECT_URLS = sorted(
    ((name, entry) for route, name, entry in ARGUMENT_URLS
     if name not in NOT_OBJECT_LEVEL and not exempt_by_prefix(route)),
    key=lambda item: item[0] or "")


def test_every_url_with_an_argument_is_in_this_suite():
    unnamed = [route for route, name, _ in ARGUMENT_URLS if name is None and not exempt_by_prefix(route)]
    assert unnamed == [], f"name these URLs so this suite can cover them: {unnamed}"
    missing = [name for name, entry in OBJECT_URLS if name not in SAMPLE_KWARGS and name not in OVERRIDES]
    assert missing == [], (
        f"object-level URLs with no sample record (add to SAMPLE_KWARGS in test_url_role_matrix, or to "
        f"NOT_OBJECT_LEVEL here with a reason): {missing}")
    names = {name for _, name, _ in ARGUMENT_URLS}
    stale = sorted(set(NOT_OBJECT_LEVEL) - names)
    assert stale == [], f"no longer URLs, take them out of NOT_OBJECT_LEVEL: {stale}"
    assert all(len(reason) > 20 for reason in NOT_OBJECT_LEVEL.values())
    assert len(OBJECT_URLS) > 150


# --- what a refusal must look like ----------------------------------------------------------------

# What every request writes: the trail (and its sealing), the session's own
# bookkeeping, lockout records and queued tasks.
_SKIPPED_TABLES = {"audit.AuditEvent", "audit.RefusalTally", "audit.AuditChainHead", "accounts.Session",
                   "sessions.Session", "axes.AccessAttempt",
                   "axes.AccessLog", "axes.AccessFailureLog", "django_tasks_database.DBTaskResult"}


def database_fingerprint():
    """A digest of every table a refused request might write to (the audit
    trail, sessions and lockout records aside), table by table: plain SQL,
    as this runs twice for every URL."""
    digests = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.label in _SKIPPED_TABLES or model._meta.proxy or not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 - names from the models
            digests[model._meta.label] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after.get(label))


def refusals_recorded(user):
    events = AuditEvent.objects.filter(actor=user, action=AuditAction.PERMISSION_DENIED).count()
    counted = RefusalTally.objects.filter(user=user).aggregate(n=Sum("count"))["n"] or 0
    return events + counted


def markers_of(name, callback, kwargs):
    """The record's distinctive synthetic text: its reference, the name of
    the person it is about, the email of the account it is."""
    declared = view_shows(callback)
    record = None
    if declared is not None and declared.record and not declared.many and declared.kwarg in kwargs:
        model = apps.get_model(declared.record)
        record = model._default_manager.filter(**{declared.lookup: kwargs[declared.kwarg]}).first()
    if record is None:
        return []
    found = []
    for attr in ("reference", "given_name", "email"):
        value = getattr(record, attr, None)
        if isinstance(value, str) and len(value) >= 6:
            found.append(value)
    for path in ("case", "person"):
        related = getattr(record, path, None)
        if related is not None:
            found.extend(value for value in (getattr(related, "reference", None),
                                             getattr(getattr(related, "person", related), "given_name", None))
                         if value)
    return found


# Pages that name their record only in words a marker cannot pick out (a
# user's name, which the signed-in user's own name may contain), with why.
OWNER_PAGE_WITHOUT_MARKER = {
    **{f"administration:user-{name}": "a form about an account, titled with its name, not its email"
       for name in ("deactivate", "reset-second-factor", "roles", "sessions-end")},
    "accounts:account-session-sign-out": "one of the user's own sessions, named by its browser and times",
}


def assert_refused(response, who, label, markers):
    assert response.status_code in (403, 404), (
        f"{label}: {who} got {response.status_code}, not 403 or 404")
    body = response.content.decode(errors="replace")
    for marker in markers:
        assert marker not in body, f"{label}: {who} was shown {marker!r}"
    assert "attachment" not in response.get("Content-Disposition", ""), f"{label}: {who} got a download"


# --- the suite ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry"), OBJECT_URLS, ids=[name for name, _ in OBJECT_URLS])
def test_only_those_who_may_get_the_record(name, entry):
    spec = entry_for(name, entry.callback)
    methods = accepted_methods(entry.callback) or {"GET", "POST"}
    owner = user_with(*spec.owner)
    owner_client = signed_in(owner)
    make_kwargs = spec.kwargs or SAMPLE_KWARGS[name]
    kwargs = make_kwargs(owner)
    path = reverse(name, kwargs=kwargs)
    markers = markers_of(name, entry.callback, kwargs)

    if "GET" in methods:
        response = owner_client.get(path)
        assert response.status_code in spec.statuses, (
            f"{name}: the owner ({', '.join(spec.owner)}) got {response.status_code}")
        if (response.status_code == 200 and response["Content-Type"].startswith("text/html") and markers
                and name not in OWNER_PAGE_WITHOUT_MARKER):
            body = response.content.decode()
            assert any(marker in body for marker in markers), f"{name}: the owner's page shows none of "\
                                                              f"{markers}"

    # Everyone who asks is made (and signed in) first, so that what changes
    # from here on is what their requests changed.
    asking = []
    for outsider in spec.outsiders:
        user = outsider.make(owner, kwargs)
        their_kwargs = outsider.kwargs(kwargs) if outsider.kwargs else kwargs
        their_markers = markers_of(name, entry.callback, their_kwargs) if outsider.kwargs else markers
        who = f"{outsider.kind} ({', '.join(sorted(user.roles))})"
        asking.append((user, signed_in(user), who, reverse(name, kwargs=their_kwargs), their_markers))

    # (Only where the view takes a POST: a GET page writes nothing but its audit event.)
    before = database_fingerprint() if "POST" in methods else {}
    for user, client, who, their_path, their_markers in asking:
        refused_before = refusals_recorded(user)
        if "GET" in methods:
            assert_refused(client.get(their_path), who, f"GET {name}", their_markers)
        if "POST" in methods:
            # A refused POST is refused whatever it sends: a plausible form's worth.
            response = client.post(their_path, {"csrfmiddlewaretoken": "sent", "confirm": "yes",
                                                "reasons": "Fictional reasons for a test."})
            assert_refused(response, who, f"POST {name}", their_markers)
        assert refusals_recorded(user) > refused_before, f"{name}: {who}'s refusal is not in the audit trail"
        reads = AuditEvent.objects.filter(actor=user, action__in=[
            AuditAction.VIEW, AuditAction.EXPORT, AuditAction.DOWNLOAD])
        assert not reads.exists(), f"{name}: {who} was recorded reading or downloading something"
    if "POST" in methods:
        changed = changed_tables(before, database_fingerprint())
        assert changed == [], f"{name}: a refused request changed {changed}"

    if "GET" not in methods:
        response = owner_client.post(path, {"csrfmiddlewaretoken": "sent"})
        assert response.status_code in (*spec.statuses, 400), (
            f"{name}: the owner ({', '.join(spec.owner)}) got {response.status_code}")


# --- the partner API ----------------------------------------------------------------------------


def token_for(user):
    from prevent_hub.api.tests.factories import bearer, issue_token

    return bearer(issue_token(user=user)[1])


def api_case_kwargs(user):
    from prevent_hub.channel.tests.factories import case_visible_to

    return {"case_id": case_visible_to(user).pk}


def api_meeting_kwargs(user):
    from prevent_hub.panels.tests.factories import meeting_visible_to

    return {"meeting_id": meeting_visible_to(user).pk}


def api_complaint_kwargs(user):
    from prevent_hub.complaints.tests.factories import matrix_complaint

    return {"reference": matrix_complaint(user).reference}


def api_booking_kwargs(user):
    from prevent_hub.venues.tests.factories import booking_visible_to_anyone

    return {"reference": booking_visible_to_anyone().reference}


def api_referral_kwargs(user):
    return {"reference": unshared_referral({})["reference"]}


def a_partner_system(owner, kwargs):
    """A partner organisation's account (a school's system, say): it may
    send referrals, and follow none, not even its own organisation's."""
    return user_with()


# operation url name → (the record named, owner → kwargs, owner's roles, outsiders)
API_OPERATIONS = {
    "referral-detail": ("referrals.Referral", "reference", api_referral_kwargs, (Role.PREVENT_COORDINATOR,), (
        Outsider(ANOTHER_ORG, plain(Role.POLICE_PRACTITIONER)),  # not shared with police
        Outsider(ANOTHER_ORG, a_partner_system),
    )),
    "case-detail": ("channel.ChannelCase", "pk", api_case_kwargs, (Role.PANEL_MEMBER,), (
        Outsider(ANOTHER_TEAM, on_another_case_team(Role.PANEL_MEMBER)),
        Outsider(ANOTHER_TEAM, on_another_case_team(Role.INTERVENTION_PROVIDER)),
        Outsider(NO_ACTION, plain(Role.VENUE_BOOKING_OFFICER)),
    )),
    "panel-meeting-detail": ("panels.PanelMeeting", "pk", api_meeting_kwargs, (Role.PANEL_MEMBER,), (
        Outsider(ANOTHER_TEAM, invited_to_another_meeting(Role.PANEL_MEMBER)),
        Outsider(ANOTHER_ORG, invited_to_another_meeting(Role.POLICE_PRACTITIONER)),
        Outsider(NO_ACTION, plain(Role.INTERVENTION_PROVIDER)),
    )),
    "venue-booking-detail": ("venues.VenueBooking", "reference", api_booking_kwargs,
                             (Role.VENUE_BOOKING_OFFICER,), (
        Outsider(NO_ACTION, plain(Role.POLICE_PRACTITIONER)),
        Outsider(NO_ACTION, plain(Role.COMPLAINTS_OFFICER)),
    )),
    "complaint-detail": ("complaints.Complaint", "reference", api_complaint_kwargs,
                         (Role.INVESTIGATING_OFFICER,), (
        Outsider(ANOTHER_TEAM, investigating_another_complaint),
        Outsider(NO_ACTION, plain(Role.PREVENT_COORDINATOR)),
    )),
}


def api_object_operations():
    from prevent_hub.api.api import api

    return sorted({getattr(operation, "url_name", None) or operation.view_func.__name__
                   for _, path, operation in api.operations() if "{" in path})


def test_every_api_operation_that_names_a_record_is_in_this_suite():
    assert api_object_operations() == sorted(API_OPERATIONS)


def api_markers(record_label, lookup, kwargs):
    value = next(iter(kwargs.values()))
    record = apps.get_model(record_label)._default_manager.get(**{lookup: value})
    found = [str(getattr(record, "reference", "") or "")]
    person = getattr(getattr(record, "person", None), "given_name", None)
    return [marker for marker in (*found, person) if marker]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API_OPERATIONS))
def test_only_those_who_may_get_the_record_through_the_api(name):
    from prevent_hub.api.api import NAMESPACE

    record_label, lookup, make_kwargs, owner_roles, outsiders = API_OPERATIONS[name]
    owner = user_with(*owner_roles)
    kwargs = make_kwargs(owner)
    url = reverse(f"{NAMESPACE}:{name}", kwargs=kwargs)
    markers = api_markers(record_label, lookup, kwargs)

    response = Client().get(url, **token_for(owner))
    assert response.status_code == 200, f"{name}: the owner got {response.status_code}"
    assert all(marker in response.content.decode() for marker in markers if marker.startswith(
        ("PRV-", "CMP-", "VEN-"))), f"{name}: the owner's answer does not name the record"

    for outsider in outsiders:
        user = outsider.make(owner, kwargs)
        headers = token_for(user)
        who = f"{outsider.kind} ({', '.join(sorted(user.roles)) or 'no role'})"
        refused_before = refusals_recorded(user)
        response = Client().get(url, **headers)
        assert response["Content-Type"] == "application/problem+json"
        # The problem's `instance` is the path the caller sent (their own
        # text); the rest must not name the record.
        problem = json.loads(response.content)
        problem.pop("instance", None)
        response.content = json.dumps(problem).encode()
        assert_refused(response, who, f"GET {url}", markers)
        assert refusals_recorded(user) > refused_before, f"{name}: {who}'s refusal is not in the audit trail"
        assert not AuditEvent.objects.filter(actor=user, action=AuditAction.VIEW).exists()


# --- uploads on the public forms, and Django's admin ----------------------------------------------


@pytest.mark.django_db
def test_a_public_upload_of_another_browser_cannot_be_removed():
    from prevent_hub.referrals.forms import JOURNEYS
    from prevent_hub.referrals.models import ReferralAttachment
    from prevent_hub.referrals.tests.factories import ReferralAttachmentFactory, ReferralDraftFactory
    from prevent_hub.referrals.views.intake import SESSION_KEY

    for prefix, journey in JOURNEYS.items():
        theirs = ReferralAttachmentFactory(draft=ReferralDraftFactory(kind=journey.kind))
        browser = Client()
        session = browser.session
        session[SESSION_KEY] = {"drafts": {prefix: str(ReferralDraftFactory(kind=journey.kind).pk)}}
        session.save()
        url = reverse(f"intake:{prefix}-attachment-remove", kwargs={"attachment_id": theirs.pk})

        response = browser.post(url, {"csrfmiddlewaretoken": "sent"}, follow=True)

        # The public form takes no files at all: 404 (it was a server error).
        takes_files = any(page.form is None for page in journey.pages)
        assert response.status_code == (200 if takes_files else 404), prefix
        assert "The file has been removed" not in response.content.decode()
        assert ReferralAttachment.objects.filter(pk=theirs.pk, draft=theirs.draft).exists(), prefix


@pytest.mark.django_db
def test_django_admin_objects_are_for_system_administrators_only(staff_client):
    from prevent_hub.directory.models import Contact

    url = reverse("admin:directory_contact_change", args=[Contact.objects.first().pk])
    listing = reverse("admin:directory_contact_changelist")
    administrator = staff_client(Role.SYSTEM_ADMINISTRATOR)
    assert administrator.get(listing).status_code == 200
    # The change page renders Django's widget templates (it was a server error).
    assert administrator.get(url).status_code == 200
    for role in (Role.PREVENT_COORDINATOR, Role.AUDITOR, Role.DATA_PROTECTION_OFFICER):
        client = staff_client(role)
        assert client.get(url).status_code == 403, role
        assert client.post(url, {"name": "Changed by a test"}).status_code == 403, role


# --- a part of one record reached through another ----------------------------------------------
#
# A URL that names a record and a part of it (a case's document, a meeting's
# agenda item, a booking's evidence, a complaint's letter) must find the part
# within that record only: someone who may see both records, asking for
# record A with a part of record B, gets 404 and nothing changes.

# Second arguments that are not a part of the first record, with why.
NOT_A_PART = {
    "other": "a second person, to merge with or tell apart from the first (any two may be)",
    "object_id": "the record itself, whose type is the first argument",
    "number": "a point's number within the complaint (1, 2...), the same in every complaint",
    "version": "a published version of reference data",
}


def mixed_kwargs(name, callback, first, second):
    """`first`'s record with `second`'s parts (None if there is no part
    that differs)."""
    declared = view_shows(callback)
    parent = declared.kwarg if declared and declared.kwarg in first else next(iter(first))
    parts = [key for key in first if key != parent and key not in NOT_A_PART
             and isinstance(first[key], int) and first[key] != second[key]]
    if not parts:
        return None
    return {**first, **{key: second[key] for key in parts}}


def another_venue(part):
    """A second venue's room or closure (the matrix's sample venue is one per test)."""

    def make(owner):
        from prevent_hub.venues import services
        from prevent_hub.venues.tests.factories import next_weekday, officer, venue_with_room

        venue, room = venue_with_room(acting_user=officer(), name="Testford Other Hall")
        closure = services.closure_add(venue=venue, starts_on=next_weekday(4), ends_on=next_weekday(4),
                                       reason="Fictional staff training day", acting_user=officer())
        return {"pk": venue.pk, "room_pk": room.pk} if part == "room" else {
            "pk": venue.pk, "closure_pk": closure.pk}

    return make


# URL name → owner → kwargs of a second record, where the sample is one per test.
SECOND_RECORD = {
    "venues:room-edit": another_venue("room"),
    "venues:closure": another_venue("closure"),
    "venues:closure-remove": another_venue("closure"),
}
# POSTs that answer a part no longer there (sent twice) by going back to the
# record, with a message, changing nothing.
GONE_REDIRECTS = {
    "training:completion-remove": "a second removal of a completion goes back to the learner, saying so",
}


def has_a_part(entry):
    from django.urls.converters import IntConverter

    converters = list(entry.pattern.converters.items())[1:]
    return any(isinstance(converter, IntConverter) and key not in NOT_A_PART for key, converter in converters)


PART_URLS = [(name, entry) for name, entry in OBJECT_URLS if has_a_part(entry)]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry"), PART_URLS, ids=[name for name, _ in PART_URLS])
def test_a_part_of_another_record_is_not_found_through_this_one(name, entry):
    spec = entry_for(name, entry.callback)
    owner = user_with(*spec.owner)
    client = signed_in(owner)
    make_kwargs = spec.kwargs or SAMPLE_KWARGS[name]
    first, second = make_kwargs(owner), SECOND_RECORD.get(name, make_kwargs)(owner)
    mixed = mixed_kwargs(name, entry.callback, first, second)
    assert mixed is not None, f"{name}: no part to mix ({first}, {second})"
    methods = accepted_methods(entry.callback) or {"GET", "POST"}
    path = reverse(name, kwargs=mixed)
    before = database_fingerprint()
    if "GET" in methods:
        assert_refused(client.get(path), "the owner", f"GET {path} ({name})", [])
    if "POST" in methods:
        response = client.post(path, {"csrfmiddlewaretoken": "sent", "confirm": "yes",
                                      "reasons": "Fictional reasons for a test."})
        if name in GONE_REDIRECTS:
            assert response.status_code == 302
        else:
            assert_refused(response, "the owner", f"POST {path} ({name})", [])
    changed = changed_tables(before, database_fingerprint())
    assert changed == [], f"{name}: asking for a part of another record changed {changed}"
