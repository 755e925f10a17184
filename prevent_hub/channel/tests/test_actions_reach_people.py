"""Actions reach the people who do them: the owner is emailed when given one,
an owner not on the case team is added only when the giver says so, and
owners (and whoever manages the plan) mark their actions done with a note."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import (
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    ChronologyEntry,
    Note,
    PlanAction,
)
from prevent_hub.channel.support import (
    action_owner_check,
    plan_action_add,
    plan_action_complete,
)

from .factories_consent_support import action_for, case_in_support, join_team

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 10)


def today():
    return timezone.localdate()


def summary_of(response) -> str:
    """The error summary's text ("" if the page has none)."""
    from bs4 import BeautifulSoup

    found = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return found.get_text(" ", strip=True) if found else ""


def _date(name, value):
    return {f"{name}-day": value.day, f"{name}-month": value.month, f"{name}-year": value.year}


@pytest.fixture
def coordinator():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Cora Fictional-Coordinator")


@pytest.fixture
def provider():
    return UserFactory(roles=[Role.INTERVENTION_PROVIDER], full_name="Ivy Fictional-Provider",
                       email="ivy.provider@example.test")


@pytest.fixture
def case():
    return case_in_support(person__given_name="Privatina", person__family_name="Fictionalperson")


def _give(case, owner, by, **extra):
    return plan_action_add(case=case, description="Fictional: visit the family about mentoring", owner=owner,
                           due_date=DUE, acting_user=by, **extra)


# Emailed when given an action ----------------------------------------------------------------


def test_the_owner_is_emailed_when_given_an_action_with_nothing_about_the_person(
        case, coordinator, provider, mailoutbox, django_capture_on_commit_callbacks):
    join_team(case, provider)
    with django_capture_on_commit_callbacks(execute=True):
        _give(case, provider, coordinator)
        assert mailoutbox == []  # only once the action is saved
    # One email, once the action is saved (other work may run on commit too:
    # the audit sealer does on PostgreSQL).
    [email] = mailoutbox
    assert email.to == ["ivy.provider@example.test"]
    assert email.subject == f"New action for you on Channel case {case.reference}"
    assert "It is due on 10 March 2027." in email.body
    assert reverse("channel:my-tasks") in email.body
    for private in ("Privatina", "Fictionalperson", "visit the family", case.referral.reference):
        assert private not in email.subject + email.body


def test_nobody_is_emailed_about_an_action_they_gave_themselves_or_one_that_was_refused(
        case, coordinator, provider, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _give(case, coordinator, coordinator)
        with pytest.raises(ValidationError):
            _give(case, provider, coordinator, add_owner_to_team=False)
    assert mailoutbox == []


# An owner not on the case team --------------------------------------------------------------


def test_the_check_says_who_is_not_on_the_team_and_as_what_they_could_be_added(case, provider):
    check = action_owner_check(case=case, owner=provider)
    assert (check.on_team, check.needs_adding, check.role) == (False, True, CaseRole.INTERVENTION_PROVIDER)
    assert check.question == ("Ivy Fictional-Provider is not on the case team. Add them as "
                              "intervention provider?")
    member = UserFactory(roles=[Role.PANEL_MEMBER], full_name="Pat Fictional-Member")
    assert action_owner_check(case=case, owner=member).question.endswith("Add them as panel member?")
    join_team(case, provider)
    assert not action_owner_check(case=case, owner=provider).needs_adding
    trainer = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR], full_name="Tam Fictional-Trainer")
    assert action_owner_check(case=case, owner=trainer).role is None


def test_saying_yes_adds_the_owner_to_the_team_with_the_action_in_one_go(
        case, coordinator, provider):
    action = _give(case, provider, coordinator, add_owner_to_team=True)
    member = CaseTeamMember.objects.get(case=case, user=provider, removed_at__isnull=True)
    assert member.role == CaseRole.INTERVENTION_PROVIDER
    assert action.owner == provider
    assert AuditEvent.objects.filter(object_type="channel.caseteammember", action=AuditAction.CREATE).exists()
    summaries = list(ChronologyEntry.objects.filter(case=case).values_list("summary", flat=True))
    assert "Ivy Fictional-Provider added to the case team (intervention provider)" in summaries


def test_saying_no_saves_nothing_and_says_why(case, coordinator, provider):
    with pytest.raises(ValidationError) as error:
        _give(case, provider, coordinator, add_owner_to_team=False)
    assert error.value.message_dict["owner"] == [
        "Ivy Fictional-Provider is not on the case team, so the action was not added. Choose someone on "
        "the team, or add them to it as intervention provider"]
    assert not PlanAction.objects.exists()
    assert not CaseTeamMember.objects.filter(user=provider).exists()


def test_someone_who_cannot_be_on_the_team_cannot_be_given_an_action(case, coordinator):
    trainer = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR], full_name="Tam Fictional-Trainer")
    with pytest.raises(ValidationError) as error:
        _give(case, trainer, coordinator, add_owner_to_team=True)
    assert "Tam Fictional-Trainer cannot be on the case team" in error.value.message_dict["owner"][0]
    assert not PlanAction.objects.exists() and not CaseTeamMember.objects.exists()


def test_an_owner_already_on_the_team_is_not_added_again(case, coordinator, provider):
    join_team(case, provider)
    _give(case, provider, coordinator, add_owner_to_team=False)
    assert CaseTeamMember.objects.filter(case=case, user=provider).count() == 1


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER])
def test_an_owner_who_sees_every_case_is_not_asked_about_the_team(case, coordinator, staff_client, role):
    owner = UserFactory(roles=[role])
    assert not action_owner_check(case=case, owner=owner).needs_adding
    _give(case, owner, coordinator, add_owner_to_team=False)
    assert not CaseTeamMember.objects.filter(user=owner).exists()
    client = staff_client(Role.PREVENT_COORDINATOR)
    url = reverse("channel:case-support-action-add", kwargs={"pk": case.pk})
    assert client.post(url, {"description": "Fictional", "owner": owner.pk,
                             **_date("due_date", DUE)}).status_code == 302


def test_the_action_form_asks_before_adding_an_owner_to_the_team(
        case, provider, staff_client, mailoutbox, django_capture_on_commit_callbacks):
    client = staff_client(Role.PREVENT_COORDINATOR)
    url = reverse("channel:case-support-action-add", kwargs={"pk": case.pk})
    posted = {"description": "Arrange the first session (fictional)", "owner": provider.pk,
              **_date("due_date", DUE)}

    asked = client.post(url, posted)
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Ivy Fictional-Provider is not on the case team. Add them as intervention provider?" in html
    assert "govuk-error-summary" not in html  # a question, not a mistake
    assert not PlanAction.objects.exists()

    unanswered = client.post(url, {**posted, "asked_about": provider.pk}).content.decode()
    assert "Select yes if Ivy Fictional-Provider should be added to the case team" in unanswered
    assert not PlanAction.objects.exists()

    refused = client.post(url, {**posted, "asked_about": provider.pk, "add_owner_to_team": "no"})
    assert refused.status_code == 200
    assert "is not on the case team, so the action was not added" in summary_of(refused)
    assert not PlanAction.objects.exists() and not CaseTeamMember.objects.filter(user=provider).exists()

    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(url, {**posted, "asked_about": provider.pk, "add_owner_to_team": "yes"})
    assert added.status_code == 302
    assert PlanAction.objects.get().owner == provider
    assert CaseTeamMember.objects.filter(case=case, user=provider, removed_at__isnull=True).exists()
    assert [email.to for email in mailoutbox] == [["ivy.provider@example.test"]]
    page = client.get(added["Location"]).content.decode()
    assert "Action added and Ivy Fictional-Provider added to the case team" in page


def test_an_answer_about_one_owner_does_not_count_for_another(case, provider, staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    other = UserFactory(roles=[Role.INTERVENTION_PROVIDER], full_name="Oz Fictional-Other")
    url = reverse("channel:case-support-action-add", kwargs={"pk": case.pk})
    response = client.post(url, {"description": "Fictional", "owner": other.pk, **_date("due_date", DUE),
                                 "asked_about": provider.pk, "add_owner_to_team": "yes"})
    assert "Oz Fictional-Other is not on the case team" in response.content.decode()
    assert not PlanAction.objects.exists()


def test_an_owner_on_the_team_is_not_asked_about(case, provider, staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    join_team(case, provider)
    url = reverse("channel:case-support-action-add", kwargs={"pk": case.pk})
    assert client.post(url, {"description": "Fictional", "owner": provider.pk,
                             **_date("due_date", DUE)}).status_code == 302


# Marking an action done -----------------------------------------------------------------------


def _done_url(action):
    return reverse("channel:case-support-action-done", kwargs={"pk": action.case_id, "action_pk": action.pk})


def test_a_provider_marks_their_own_action_done_with_a_note(case, staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER, full_name="Ivy Fictional-Provider")
    join_team(case, client.user)
    action = action_for(case, owner=client.user, description="Book the first mentoring session")

    support = client.get(reverse("channel:case-support", kwargs={"pk": case.pk})).content.decode()
    assert f'href="{_done_url(action)}"' in support
    page = client.get(_done_url(action))
    assert page.status_code == 200
    assert "Book the first mentoring session" in page.content.decode()

    posted = {**_date("done_on", today()), "note": "Fictional: first session booked for Tuesday."}
    response = client.post(_done_url(action), posted)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.done_on, action.done_by) == (today(), client.user)
    note = Note.objects.get(case=case)
    assert note == action.done_note and note.written_by == client.user
    assert "Fictional: first session booked for Tuesday." in note.text
    timeline = list(ChronologyEntry.objects.filter(case=case).values_list("summary", flat=True))
    assert f"Action of Ivy Fictional-Provider done on {today():%-d %B %Y} (see the note)" in timeline
    assert "Note added by Ivy Fictional-Provider" in timeline
    event = AuditEvent.objects.filter(object_type="channel.planaction", action=AuditAction.UPDATE).get()
    assert sorted(event.changed_fields) == ["done_by", "done_note", "done_on"]

    # A double submit changes nothing more.
    assert client.post(_done_url(action), posted).status_code == 302
    assert Note.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="channel.planaction", action=AuditAction.UPDATE).count() == 1

    again = client.post(_done_url(action), _date("done_on", today() - datetime.timedelta(days=1)))
    assert again.status_code == 200
    assert "This action was already marked as done on" in summary_of(again)
    action.refresh_from_db()
    assert action.done_on == today()


def test_a_provider_cannot_mark_someone_elses_action_done_or_learn_of_it(case, staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    join_team(case, client.user)
    theirs = action_for(case, owner=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    assert client.get(_done_url(theirs)).status_code == 404
    assert client.post(_done_url(theirs), _date("done_on", today())).status_code == 404
    theirs.refresh_from_db()
    assert theirs.done_on is None


def test_a_provider_not_on_the_team_cannot_reach_their_action(case, staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    action = action_for(case, owner=client.user)
    assert client.get(_done_url(action)).status_code in (403, 404)
    assert client.post(_done_url(action), _date("done_on", today())).status_code in (403, 404)


def test_a_coordinator_marks_anyones_action_done(case, staff_client, provider):
    client = staff_client(Role.PREVENT_COORDINATOR)
    join_team(case, provider)
    action = action_for(case, owner=provider)
    support = client.get(reverse("channel:case-support", kwargs={"pk": case.pk})).content.decode()
    assert f'href="{_done_url(action)}"' in support
    assert client.post(_done_url(action), _date("done_on", today())).status_code == 302
    action.refresh_from_db()
    assert action.done_by == client.user and action.done_note is None
    support = client.get(reverse("channel:case-support", kwargs={"pk": case.pk})).content.decode()
    assert f"by {client.user.full_name}" in support


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.POLICE_PRACTITIONER, Role.CHANNEL_CHAIR])
def test_other_roles_mark_their_own_actions_done_but_not_others(case, staff_client, role):
    client = staff_client(role)
    join_team(case, client.user, role=CaseRole.MEMBER)
    mine = action_for(case, owner=client.user)
    not_mine = action_for(case, owner=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    support = client.get(reverse("channel:case-support", kwargs={"pk": case.pk})).content.decode()
    assert f'href="{_done_url(mine)}"' in support and f'href="{_done_url(not_mine)}"' not in support
    assert client.post(_done_url(mine), _date("done_on", today())).status_code == 302
    assert client.post(_done_url(not_mine), _date("done_on", today())).status_code == 404


def test_the_date_it_was_done_is_checked(case, staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    action = action_for(case, owner=client.user)
    future = client.post(_done_url(action), _date("done_on", today() + datetime.timedelta(days=1)))
    assert "The date it was done must be today or in the past" in future.content.decode()
    empty = client.post(_done_url(action), {"note": "Kept when refused (fictional)"}).content.decode()
    assert "Enter the date it was done" in empty and "Kept when refused (fictional)" in empty
    action.refresh_from_db()
    assert action.done_on is None


def test_an_action_on_a_closed_case_cannot_be_marked_done(case, coordinator):
    action = action_for(case, owner=coordinator)
    type(case).objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError, match="The case is closed"):
        plan_action_complete(action=action, done_on=today(), acting_user=coordinator)


def test_the_service_refuses_someone_who_neither_owns_nor_manages_the_action(case, provider):
    from django.core.exceptions import PermissionDenied

    join_team(case, provider)
    action = action_for(case, owner=UserFactory(roles=[Role.PREVENT_COORDINATOR]))
    with pytest.raises(PermissionDenied):
        plan_action_complete(action=action, done_on=today(), acting_user=provider)


def test_your_tasks_lead_a_provider_to_their_action(case, staff_client):
    client = staff_client(Role.INTERVENTION_PROVIDER)
    join_team(case, client.user)
    action_for(case, owner=client.user, description="Fictional: call the mentor", due_in_days=-1)
    html = client.get(reverse("channel:my-tasks")).content.decode()
    assert "Fictional: call the mentor" in html
    assert reverse("channel:case-support", kwargs={"pk": case.pk}) in html


# Reminders when an action falls due ---------------------------------------------------------


def test_no_reminder_goes_out_for_an_action_on_a_transferred_case(
        case, coordinator, provider, mailoutbox, django_capture_on_commit_callbacks):
    from prevent_hub.channel.support import plan_action_reminders_send
    from prevent_hub.channel.transfer import case_transfer

    join_team(case, provider)
    open_case = case_in_support()
    join_team(open_case, provider)
    for on in (case, open_case):
        PlanAction.objects.create(case=on, description="Fictional", owner=provider, due_date=today(),
                                  created_by=coordinator, created_at=timezone.now())
    case_transfer(case=case, receiving_council="Fictional Borough Council",
                  receiving_contact="prevent@example.test", moved_on=None, reasons="Fictional: moved.",
                  acting_user=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_action_reminders_send() == 1
        assert plan_action_reminders_send() == 0
    assert [email.subject for email in mailoutbox] == [
        f"Due today: an action on Channel case {open_case.reference}"]
