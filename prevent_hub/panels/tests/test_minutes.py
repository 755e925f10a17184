"""Minutes written from the record, edited until the chair approves them,
then locked; addenda; the agenda pack and minutes as each reader may see
them, and their PDFs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import CaseStatus, NotAdoptedOutcome
from prevent_hub.channel.tests.factories_reviews import case_in, exit_assessment
from prevent_hub.core.formatting import govuk_date
from prevent_hub.panels.agenda import agenda_build
from prevent_hub.panels.decisions import PanelActionInput
from prevent_hub.panels.minutes import (
    item_minute_save,
    minutes_addendum_add,
    minutes_approve,
    minutes_notes_save,
)
from prevent_hub.panels.models import (
    Attendance,
    DecisionMethod,
    ItemDecision,
    ItemInvitee,
    MeetingStatus,
    MinutesAddendum,
    MinutesStatus,
)
from prevent_hub.panels.pack import agenda_pack, minutes_document
from prevent_hub.panels.pdf import agenda_pack_pdf, minutes_pdf
from prevent_hub.panels.services import attendance_record
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, police_present

from .helpers import days, decide, pdf_text

pytestmark = pytest.mark.django_db

D = ItemDecision
HOSTILE = "<b>&amp; <script>alert('x')</script> (brackets) back\\slash"


@pytest.fixture
def meeting():
    meeting = PanelMeetingFactory(date=days(-1))
    police_present(meeting)
    return meeting


@pytest.fixture
def chair(meeting):
    return meeting.panel.chair


@pytest.fixture
def owner():
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Alex Fictional-Owner")


def _refresh(meeting):
    meeting.refresh_from_db()
    meeting.minutes.refresh_from_db()
    return meeting


def _approved(meeting, chair):
    for item in meeting.items.filter(decision=""):
        decide(item, D.NOTED)
    minutes_approve(meeting=meeting, acting_user=chair)
    return _refresh(meeting)


# The minute of each item -----------------------------------------------------------------


def test_the_minute_says_what_was_decided_how_why_and_the_actions(meeting, owner):
    item = item_add(meeting, case_in(CaseStatus.SUPPORT))
    actions = [PanelActionInput(description="Fictional: rewrite the mentoring plan", owner=owner,
                                due_date=days(14))]
    decided = decide(item, D.REVISE_PLAN, method=DecisionMethod.MAJORITY, votes_for=5, votes_against=2,
                     abstentions=1, reasons="Fictional: the mentoring has stalled.", actions=actions)
    assert decided.minute.splitlines() == [
        "Decision: Revise the support plan.",
        "How decided: Majority vote (5 for, 2 against, 1 abstaining).",
        "Reasons: Fictional: the mentoring has stalled.",
        f"Next review due {govuk_date(meeting.date + datetime.timedelta(days=28))}.",
        "Actions:",
        f"- Fictional: rewrite the mentoring plan — Alex Fictional-Owner, due {govuk_date(days(14))}",
    ]
    decided.refresh_from_db()
    assert decided.minute.startswith("Decision: Revise the support plan.")


def test_the_minute_of_a_consensus_or_chairs_decision(meeting):
    consensus = decide(item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)), D.ADOPT)
    assert "How decided: Consensus." in consensus.minute.splitlines()
    chairs = decide(item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)), D.ADOPT,
                    method=DecisionMethod.CHAIR)
    assert "How decided: The chair's decision." in chairs.minute.splitlines()


def test_the_minute_of_not_adopting_says_the_outcome_and_health_and_social_care(meeting):
    item = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    decided = decide(item, D.NOT_ADOPT, outcome=NotAdoptedOutcome.SIGNPOSTED,
                     signposted_to="Fictional Youth Service", health_social_care_considered=True,
                     health_social_care_notes="Fictional: GP informed.")
    lines = decided.minute.splitlines()
    assert "Outcome: Signposted to other services (Fictional Youth Service)." in lines
    assert "Referral to health or social care considered: yes. Fictional: GP informed." in lines


def test_the_minute_of_exit_and_reassessment_gives_the_dates(meeting):
    case = case_in(CaseStatus.SUPPORT)
    exit_assessment(case)
    exit_item = decide(item_add(meeting, case), D.EXIT)
    assert f"Exit date: {govuk_date(meeting.date)}." in exit_item.minute
    reassess = decide(item_add(meeting, case_in(CaseStatus.CONSENT_REFUSED, reassessment_date=days(0))),
                      D.REASSESS, reassess_on=days(90))
    assert f"The panel will re-assess the case on {govuk_date(days(90))}." in reassess.minute


def test_an_item_minute_can_be_edited_while_the_minutes_are_a_draft(meeting, chair):
    item = decide(item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)), D.ADOPT)
    item_minute_save(item=item, minute="  Fictional corrected minute.  ", acting_user=chair)
    item.refresh_from_db()
    assert item.minute == "Fictional corrected minute."
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="panels.agendaitem",
                                     object_id=str(item.pk), changed_fields=["minute"]).exists()
    with pytest.raises(ValidationError) as error:
        item_minute_save(item=item, minute=" ", acting_user=chair)
    assert "minute" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        item_minute_save(item=item, minute="x" * 20001, acting_user=chair)
    assert "minute" in error.value.message_dict


def test_an_undecided_item_has_no_minute_to_edit(meeting, chair):
    item = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    with pytest.raises(ValidationError) as error:
        item_minute_save(item=item, minute="Fictional.", acting_user=chair)
    assert error.value.code == "undecided"
    item.refresh_from_db()
    assert item.minute == ""


def test_general_notes_are_saved_while_the_minutes_are_a_draft(meeting, chair):
    minutes = minutes_notes_save(meeting=meeting, general_notes=" Fictional apologies: none. ",
                                 acting_user=chair)
    assert minutes.general_notes == "Fictional apologies: none."
    assert (minutes.status, minutes.updated_by) == (MinutesStatus.DRAFT, chair)
    _refresh(meeting)
    assert meeting.minutes.general_notes == "Fictional apologies: none."


# Approval -----------------------------------------------------------------------------------


def test_minutes_are_not_approved_with_items_undecided(meeting, chair):
    decide(item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)), D.ADOPT)
    item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    with pytest.raises(ValidationError) as error:
        minutes_approve(meeting=meeting, acting_user=chair)
    assert error.value.code == "undecided"
    assert "Not yet decided: items 2 and 3" in error.value.message
    _refresh(meeting)
    assert (meeting.minutes.status, meeting.status) == (MinutesStatus.DRAFT, MeetingStatus.SCHEDULED)


def test_minutes_are_not_approved_without_attendance():
    meeting = PanelMeetingFactory(date=days(-1))
    with pytest.raises(ValidationError) as error:
        minutes_approve(meeting=meeting, acting_user=meeting.panel.chair)
    assert error.value.code == "no_attendance"
    assert _refresh(meeting).minutes.status == MinutesStatus.DRAFT


def test_a_cancelled_meeting_has_no_minutes_to_approve(meeting, chair):
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError) as error:
        minutes_approve(meeting=meeting, acting_user=chair)
    assert error.value.code == "cancelled"


def test_approving_locks_the_minutes_and_records_the_meeting_as_held(meeting, chair):
    item = decide(item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)), D.ADOPT)
    minutes = minutes_approve(meeting=meeting, acting_user=chair)
    assert (minutes.status, minutes.approved_by) == (MinutesStatus.APPROVED, chair)
    assert minutes.approved_at is not None
    _refresh(meeting)
    assert (meeting.status, meeting.minutes.is_approved) == (MeetingStatus.HELD, True)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="panels.minutes",
                                     object_id=str(minutes.pk)).exists()

    with pytest.raises(ValidationError) as error:
        item_minute_save(item=item, minute="Fictional late change.", acting_user=chair)
    assert error.value.code == "minutes_locked"
    with pytest.raises(ValidationError) as error:
        minutes_notes_save(meeting=meeting, general_notes="Fictional late notes.", acting_user=chair)
    assert error.value.code == "minutes_locked"
    with pytest.raises(ValidationError) as error:
        minutes_approve(meeting=meeting, acting_user=chair)
    assert error.value.code == "minutes_locked"
    with pytest.raises(ValidationError):
        decide(item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)), D.ADOPT)
    with pytest.raises(ValidationError):
        agenda_build(meeting=meeting, acting_user=chair)
    with pytest.raises(ValidationError):
        attendance_record(meeting=meeting, name="Fictional Latecomer", organisation_name="Fictional Org",
                          organisation_type="other", acting_user=chair)
    item.refresh_from_db()
    assert item.minute.startswith("Decision: Adopt as a Channel case.")
    assert _refresh(meeting).minutes.general_notes == ""


# Addenda -----------------------------------------------------------------------------------


def test_addenda_are_only_for_approved_minutes(meeting, chair):
    item = decide(item_add(meeting, case_in(CaseStatus.AWAITING_PANEL)), D.ADOPT)
    with pytest.raises(ValidationError) as error:
        minutes_addendum_add(meeting=meeting, text="Fictional correction.", acting_user=chair)
    assert error.value.code == "still_draft"
    assert not MinutesAddendum.objects.exists()

    _approved(meeting, chair)
    general = minutes_addendum_add(meeting=meeting, text="Fictional: the date of the next meeting.",
                                   acting_user=chair)
    on_item = minutes_addendum_add(meeting=meeting, item=item, text="Fictional: vote counts corrected.",
                                   acting_user=chair)
    assert (general.item, on_item.item, on_item.written_by) == (None, item, chair)
    assert list(meeting.minutes.addenda.order_by("pk")) == [general, on_item]

    with pytest.raises(ValidationError) as error:
        minutes_addendum_add(meeting=meeting, text="  ", acting_user=chair)
    assert "text" in error.value.message_dict
    elsewhere = item_add(PanelMeetingFactory(), case_in(CaseStatus.AWAITING_PANEL))
    with pytest.raises(ValidationError) as error:
        minutes_addendum_add(meeting=meeting, item=elsewhere, text="Fictional.", acting_user=chair)
    assert "item" in error.value.message_dict


# Documents: what each reader sees ------------------------------------------------------------


@pytest.fixture
def two_items(meeting):
    first = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    second = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    return first, second


@pytest.fixture
def invitee(two_items, chair):
    """A panel member invited for the second item only."""
    user = UserFactory(roles=[Role.PANEL_MEMBER], full_name="Fictional Item Invitee")
    ItemInvitee.objects.create(item=two_items[1], user=user, name=user.full_name,
                               organisation_name="Fictional Children's Services", email=user.email,
                               invited_at=two_items[1].added_at, invited_by=chair)
    return user


def test_a_per_item_invitee_sees_other_items_as_their_number_only(meeting, chair, two_items, invitee):
    first, second = two_items
    decide(first, D.ADOPT, reasons="Fictional reasons about the first person.")
    decide(second, D.NOTED, reasons="Fictional reasons about the second person.")

    pack = agenda_pack(meeting=meeting, user=invitee)
    assert pack["withheld"] == 1
    assert pack["items"][0] == {"position": 1, "visible": False}
    assert pack["items"][1]["visible"] is True
    assert pack["items"][1]["title"].startswith(second.case.reference)
    assert ("Person", second.case.person.full_name) in pack["items"][1]["facts"]
    assert "Fictional Item Invitee (Fictional Children's Services)" in pack["items"][1]["invitees"]

    document = minutes_document(meeting=meeting, user=invitee)
    assert document["withheld"] == 1
    assert document["items"][0] == {"position": 1, "visible": False}
    assert document["items"][1]["minute"].endswith("Reasons: Fictional reasons about the second person.")
    assert document["status"] == "Draft: not yet approved by the chair"

    for reader_sees in (agenda_pack(meeting=meeting, user=chair), minutes_document(meeting=meeting,
                                                                                   user=chair)):
        assert reader_sees["withheld"] == 0
        assert [entry["visible"] for entry in reader_sees["items"]] == [True, True]


def test_the_pdfs_withhold_what_the_reader_may_not_see(meeting, chair, two_items, invitee):
    first, second = two_items
    decide(first, D.ADOPT, reasons="Fictional reasons about the first person.")
    decide(second, D.NOTED)
    _approved(meeting, chair)
    for data in (agenda_pack_pdf(agenda_pack(meeting=meeting, user=invitee)),
                 minutes_pdf(minutes_document(meeting=meeting, user=invitee))):
        assert data.startswith(b"%PDF")
        text = pdf_text(data)
        assert "Not shared with you: you are not invited to discuss this case." in text
        assert first.case.reference not in text
        assert first.case.person.full_name not in text
        assert "first person" not in text
        assert second.case.reference in text
    assert "Approved by" in pdf_text(minutes_pdf(minutes_document(meeting=meeting, user=invitee)))


def test_the_pdfs_draw_whatever_people_typed_as_text(meeting, chair, owner):
    meeting.location = f"Room {HOSTILE}"
    meeting.save()
    case = case_in(CaseStatus.SUPPORT)
    case.person.given_name = "Fictional <i>Name"
    case.person.save()
    item = item_add(meeting, case)
    ItemInvitee.objects.create(item=item, name=f"Invitee {HOSTILE}", organisation_name="Org & <u>Co</u>",
                               invited_at=item.added_at, invited_by=chair)
    attendance_record(meeting=meeting, name=f"Attendee {HOSTILE}", organisation_name="Fictional & Co",
                      organisation_type="other", acting_user=chair)
    decide(item, D.REVISE_PLAN, reasons=f"Reasons {HOSTILE}\nSecond line & more",
           actions=[PanelActionInput(description=f"Action {HOSTILE}", owner=owner, due_date=days(7))])
    minutes_notes_save(meeting=meeting, general_notes=f"Notes {HOSTILE}", acting_user=chair)
    _approved(meeting, chair)
    minutes_addendum_add(meeting=meeting, item=item, text=f"Addendum {HOSTILE}", acting_user=chair)
    minutes_addendum_add(meeting=meeting, text="General & <br/> addendum", acting_user=chair)

    pack = agenda_pack_pdf(agenda_pack(meeting=meeting, user=chair))
    minutes = minutes_pdf(minutes_document(meeting=meeting, user=chair))
    assert pack.startswith(b"%PDF") and minutes.startswith(b"%PDF")
    # Compared with line breaks as spaces: long text wraps in the narrow columns.
    pack_text, minutes_text = (" ".join(pdf_text(data).split()) for data in (pack, minutes))
    for expected in (f"Room {HOSTILE}", "Fictional <i>Name Example", f"Invitee {HOSTILE} (Org & <u>Co</u>)",
                     f"Action {HOSTILE}"):
        assert " ".join(expected.split()) in pack_text, expected
    for expected in (f"Reasons: Reasons {HOSTILE}", "Second line & more", f"Notes {HOSTILE}",
                     f"Addendum {HOSTILE}", "General & <br/> addendum", f"Attendee {HOSTILE}"):
        assert " ".join(expected.split()) in minutes_text, expected


def test_an_empty_agenda_pack_says_so(meeting, chair):
    text = pdf_text(agenda_pack_pdf(agenda_pack(meeting=meeting, user=chair)))
    assert "There is nothing on the agenda yet." in text
    assert "No decision recorded." not in text


def test_the_meeting_page_hides_who_came_only_for_an_item_the_reader_may_not_see(
        meeting, chair, two_items, invitee):
    first, second = two_items
    police_present(meeting)  # for the whole meeting
    Attendance.objects.create(
        meeting=meeting, name="Fictional First-Item Witness", organisation_name="Fictional Youth Club",
        organisation_type=OrganisationType.OTHER, item=first, recorded_at=first.added_at,
        recorded_by=chair)
    Attendance.objects.create(
        meeting=meeting, name="Fictional Second-Item Guest", organisation_name="Fictional Academy",
        organisation_type=OrganisationType.OTHER, item=second, recorded_at=second.added_at,
        recorded_by=chair)
    page = reverse("panels:meeting", args=[meeting.pk])
    invited = Client()
    sign_in(invited, invitee)
    seen = invited.get(page).content.decode()
    assert "PC Test Officer" in seen
    assert "Fictional Second-Item Guest" in seen
    assert "Fictional First-Item Witness" not in seen
    chairs_view = Client()
    sign_in(chairs_view, chair)
    assert "Fictional First-Item Witness" in chairs_view.get(page).content.decode()
    # The minutes and the pack follow the same rule.
    present = minutes_document(meeting=meeting, user=invitee)["attendance"]["present"]
    lines = [f"{row.name}, {row.line}" for row in present]
    assert not any("Fictional First-Item Witness" in line for line in lines)
    # Someone there for one item is shown with that item's case, not its number alone.
    assert (f"Fictional Second-Item Guest, Fictional Academy (Other), for {second.case.reference} (item 2)"
            in lines)
