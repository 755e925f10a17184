"""Meetings as chairs run them: panels edited and deactivated, areas as
reference data (renaming one keeps its cases), deputy chairs, and attendance
with apologies, deputies and the case each item-only attendee came for."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import Area, CaseStatus, ChannelCase
from prevent_hub.channel.tests.factories import area_named
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.panels import decisions
from prevent_hub.panels.models import Attendance, MeetingStatus, Panel
from prevent_hub.panels.pack import agenda_pack
from prevent_hub.panels.tests.factories import PanelFactory, PanelMeetingFactory, item_add, member_add

from .helpers import days

pytestmark = pytest.mark.django_db


def _edit(client, panel, **changes):
    data = {"name": panel.name, "area": panel.area.name, "chair": panel.chair_id, "is_active": "yes",
            "deputy_chairs": list(panel.deputy_chairs.values_list("pk", flat=True))}
    data.update(changes)
    return client.post(reverse("panels:panel-edit", kwargs={"panel_pk": panel.pk}), data)


def _errors(response) -> list[str]:
    summary = BeautifulSoup(response.content, "html5lib").find(class_="govuk-error-summary")
    return [link.get_text(strip=True) for link in summary.find_all("a")] if summary else []


# Panels and areas ---------------------------------------------------------------------------


def test_renaming_a_panels_area_keeps_its_cases_meetings_and_police(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    panel = PanelFactory(name="Fictional Vale Panel", area=area_named("Fictional Vale"))
    case = case_in(CaseStatus.AWAITING_PANEL, area=panel.area)
    meeting = PanelMeetingFactory(panel=panel, date=days(3))
    item = item_add(meeting, case)
    police = OrganisationFactory(name="Fictional Constabulary", type=OrganisationType.POLICE)
    Attendance.objects.create(meeting=meeting, name="PC Fictional", organisation=police,
                              organisation_name=police.name, organisation_type=OrganisationType.POLICE,
                              police_area=panel.area, recorded_at=meeting.created_at, recorded_by=panel.chair)

    response = _edit(client, panel, area="Fictional Vale and Downs")

    assert response.status_code == 302
    renamed = Area.objects.get(pk=panel.area_id)
    assert renamed.name == "Fictional Vale and Downs" and Area.objects.count() == 1
    case.refresh_from_db()
    assert case.area == renamed
    # The police representative recorded for the old name still covers the person.
    assert decisions.police_present_for(item)
    page = client.get(reverse("panels:panel", kwargs={"panel_pk": panel.pk})).content.decode()
    assert "Fictional Vale and Downs" in page
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="channel.area").get()
    assert event.details["former_name"] == "Fictional Vale"


def test_a_panel_gets_deputy_chairs_who_may_decide_outside_a_meeting(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    panel = PanelFactory(chair=client.user)
    deputy = UserFactory(roles=[Role.CHANNEL_CHAIR], full_name="Dana Fictional-Deputy")
    not_a_chair = UserFactory(roles=[Role.PANEL_MEMBER], full_name="Pat Fictional-Member")

    refused = _edit(client, panel, deputy_chairs=[client.user.pk])
    assert refused.status_code == 200
    assert any("is the chair: choose someone else as deputy" in error for error in _errors(refused))
    assert not panel.deputy_chairs.exists()
    # Only people with the chair role are offered, so another is not a valid choice.
    refused = _edit(client, panel, deputy_chairs=[not_a_chair.pk])
    assert _errors(refused) == ["Select deputy chairs from the list"]

    assert _edit(client, panel, deputy_chairs=[deputy.pk]).status_code == 302
    assert list(panel.deputy_chairs.all()) == [deputy]
    assert decisions.panel_chair_ids(panel) == {client.user.pk, deputy.pk}
    page = client.get(reverse("panels:panel", kwargs={"panel_pk": panel.pk})).content.decode()
    assert "deputy chair Dana Fictional-Deputy" in page


def test_a_panel_with_meetings_to_come_is_not_deactivated_until_they_are_dealt_with(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    panel = PanelFactory(area=area_named("Fictional Marsh"))
    coming = PanelMeetingFactory(panel=panel, date=days(10))

    refused = _edit(client, panel, is_active="no")
    assert refused.status_code == 200
    assert _errors(refused)[0].startswith("Cancel or hold this panel's scheduled meetings")
    panel.refresh_from_db()
    assert panel.is_active

    coming.status = MeetingStatus.CANCELLED
    coming.save()
    assert _edit(client, panel, is_active="no").status_code == 302
    panel.refresh_from_db()
    assert not panel.is_active and not panel.area.is_active
    # No new meeting for it, and its area is no longer offered for cases.
    schedule = BeautifulSoup(client.get(reverse("panels:meeting-schedule")).content, "html5lib")
    assert panel.name not in [option.get_text() for option in schedule.select("select[name=panel] option")]
    home = client.get(reverse("panels:home")).content.decode()
    assert "Inactive" in home


def test_bad_panel_details_change_nothing(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    panel = PanelFactory(name="Fictional One Panel", area=area_named("Fictional One"))
    PanelFactory(name="Fictional Two Panel", area=area_named("Fictional Two"))
    before = AuditEvent.objects.count()
    for changes, message in (({"name": ""}, "Enter the name of the panel"),
                             ({"area": "x" * 101}, "Area it serves must be 100 characters or fewer"),
                             ({"area": "fictional two"}, "There is already a panel for this area"),
                             ({"name": "Fictional Two Panel"}, "There is already a panel with this name"),
                             ({"is_active": "maybe"}, "Select whether the panel is still meeting")):
        response = _edit(client, panel, **changes)
        assert response.status_code == 200, changes
        assert message in _errors(response), (changes, _errors(response))
    hostile = _edit(client, panel, name="<script>alert(1)</script>", area="")
    assert "&lt;script&gt;" in hostile.content.decode()
    panel.refresh_from_db()
    assert (panel.name, panel.area.name) == ("Fictional One Panel", "Fictional One")
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 0
    assert AuditEvent.objects.count() >= before  # page views are audited; nothing was changed


def test_setting_up_a_panel_makes_its_area(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    chair = UserFactory(roles=[Role.CHANNEL_CHAIR])
    response = client.post(reverse("panels:panel-create"), {
        "name": "Fictional Heath Panel", "area": "Fictional Heath", "chair": chair.pk})
    assert response.status_code == 302
    panel = Panel.objects.get(name="Fictional Heath Panel")
    assert panel.area.name == "Fictional Heath" and panel.area.is_active
    again = client.post(reverse("panels:panel-create"), {
        "name": "Another Fictional Panel", "area": "FICTIONAL HEATH", "chair": chair.pk})
    assert "There is already a panel for this area" in _errors(again)
    assert Panel.objects.count() == 1


# Attendance --------------------------------------------------------------------------------


@pytest.fixture
def meeting():
    panel = PanelFactory(area=area_named("Fictional Riverside"))
    return PanelMeetingFactory(panel=panel, date=days(0))


def _police_member(panel, name):
    force = OrganisationFactory(name="Fictional Riverside Police", type=OrganisationType.POLICE)
    officer = UserFactory(roles=[Role.POLICE_PRACTITIONER], full_name=name, organisation=force)
    member_add(panel, officer)
    return officer


def test_apologies_and_a_deputy_are_recorded_and_only_the_deputy_counts(staff_client, meeting):
    client = staff_client(Role.CHANNEL_CHAIR)
    officer = _police_member(meeting.panel, "PC Fictional Away")
    item = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    url = reverse("panels:attendance", kwargs={"pk": meeting.pk})

    both = client.post(url, {"form": "present", "present": [officer.pk], "apologies": [officer.pk]})
    assert _errors(both) == ["Someone cannot be present and send apologies: PC Fictional Away"]
    assert not Attendance.objects.exists()

    assert client.post(url, {"form": "present", "apologies": [officer.pk]}).status_code == 302
    away = Attendance.objects.get()
    assert away.apologies and away.police_area == meeting.panel.area
    # Apologies are not presence: the police are not there for the person.
    assert not decisions.police_present_for(item)

    response = client.post(url, {
        "form": "other", "name": "PC Fictional Stand-In", "organisation_name": "Fictional Riverside Police",
        "organisation_type": OrganisationType.POLICE, "police_area": meeting.panel.area_id,
        "deputy_for": away.pk})
    assert response.status_code == 302
    deputy = Attendance.objects.get(name="PC Fictional Stand-In")
    assert deputy.deputy_for == away and not deputy.apologies
    assert decisions.police_present_for(item)

    page = BeautifulSoup(client.get(reverse("panels:meeting", kwargs={"pk": meeting.pk})).content,
                         "html5lib").get_text(" ", strip=True)
    assert ("Present PC Fictional Stand-In, Fictional Riverside Police (Police), police for Fictional "
            "Riverside, deputising for PC Fictional Away") in page
    assert "Apologies PC Fictional Away, Fictional Riverside Police (Police)" in page

    # Changing their mind: present after all (the apologies row is replaced).
    assert client.post(url, {"form": "present", "present": [officer.pk]}).status_code == 302
    assert not Attendance.objects.filter(user=officer, apologies=True).exists()
    assert Attendance.objects.filter(user=officer, apologies=False).exists()


def test_someone_there_for_one_item_is_shown_with_its_case_reference(staff_client, meeting):
    client = staff_client(Role.CHANNEL_CHAIR)
    first = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    second = item_add(meeting, case_in(CaseStatus.AWAITING_PANEL))
    url = reverse("panels:attendance", kwargs={"pk": meeting.pk})
    form = BeautifulSoup(client.get(url).content, "html5lib")
    offered = [option.get_text(strip=True) for option in form.select("select[name=item] option")]
    assert offered == ["The whole meeting", f"Case {first.case.reference} (item 1)",
                       f"Case {second.case.reference} (item 2)"]
    client.post(url, {"form": "other", "name": "Fictional Head of Year", "organisation_name":
                      "Fictional Academy", "organisation_type": OrganisationType.EDUCATION,
                      "item": second.pk})
    expected = f"Fictional Head of Year, Fictional Academy (Education), for {second.case.reference} (item 2)"
    for page in ("attendance", "meeting", "agenda-pack", "minutes"):
        text = BeautifulSoup(client.get(reverse(f"panels:{page}", kwargs={"pk": meeting.pk})).content,
                             "html5lib").get_text(" ", strip=True)
        assert expected in text, page
    pack = agenda_pack(meeting=meeting, user=client.user)
    assert [row.line for row in pack["attendance"]["present"]] == [
        f"Fictional Academy (Education), for {second.case.reference} (item 2)"]


def test_a_deputy_must_stand_in_for_someone_who_sent_apologies(staff_client, meeting):
    client = staff_client(Role.CHANNEL_CHAIR)
    response = client.post(reverse("panels:attendance", kwargs={"pk": meeting.pk}), {
        "form": "other", "name": "Fictional Stand-In", "organisation_name": "Fictional Council",
        "organisation_type": OrganisationType.LOCAL_AUTHORITY, "deputy_for": "999999"})
    assert _errors(response) == ["Select someone who sent apologies"]
    assert not Attendance.objects.exists()


def test_a_case_recorded_for_an_inactive_area_is_refused(staff_client, meeting):
    from django.core.exceptions import ValidationError

    from prevent_hub.channel.services import case_area_set

    gone = Area.objects.create(name="Fictional Former Area", is_active=False)
    case = case_in(CaseStatus.AWAITING_PANEL)
    with pytest.raises(ValidationError):
        case_area_set(case=case, area=gone, acting_user=meeting.panel.chair)
    assert ChannelCase.objects.get(pk=case.pk).area is None
