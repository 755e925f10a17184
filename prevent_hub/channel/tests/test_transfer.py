"""Transfer to another council's panel: the record, closing the case with
reason "transferred", and the export bundle."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import (
    Assessment,
    AssessmentKind,
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    ClosureReason,
    Consent,
    ConsentAnswer,
    ConsentGiver,
    ConsentMethod,
    DimensionJudgement,
    FactorEvidence,
    Note,
    Transfer,
    VafFactor,
    VafFramework,
)
from prevent_hub.channel.transfer import case_transfer

from .factories_reviews import case_in, post_exit_review

pytestmark = pytest.mark.django_db

FORM = {"receiving_council": "Fictional Borough Council",
        "receiving_contact": "Pat Panel, prevent@example.test",
        "moved_on-day": "1", "moved_on-month": "9", "moved_on-year": "2026",
        "reasons": "Fictional: the person moved to the area."}


def _transfer(case, user, **overrides):
    fields = {"receiving_council": "Fictional Borough Council", "receiving_contact": "prevent@example.test",
              "moved_on": datetime.date(2026, 9, 1), "reasons": "Fictional: moved.", **overrides}
    return case_transfer(case=case, acting_user=user, **fields)


@pytest.mark.parametrize("status", [CaseStatus.SCREENING, CaseStatus.SUPPORT, CaseStatus.EXITED,
                                    CaseStatus.CONSENT_REFUSED])
def test_transfer_closes_the_case_as_transferred_from_any_open_status(status):
    user = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    case = case_in(status)
    transfer = _transfer(case, user)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.TRANSFERRED
    assert case.closure_details == "Fictional: moved."
    assert (transfer.receiving_council, transfer.sent_by) == ("Fictional Borough Council", user)
    events = AuditEvent.objects.filter(actor=user)
    assert events.filter(action=AuditAction.CREATE, object_type="channel.transfer").exists()
    assert events.filter(action=AuditAction.EXPORT, object_type="channel.channelcase").exists()
    assert events.filter(action=AuditAction.UPDATE, object_type="channel.channelcase").exists()


def test_transfer_needs_its_details_and_an_open_case():
    user = UserFactory(roles=[Role.PREVENT_COORDINATOR])
    case = case_in(CaseStatus.SUPPORT)
    with pytest.raises(ValidationError) as error:
        _transfer(case, user, receiving_council="", receiving_contact=" ", reasons="")
    assert set(error.value.message_dict) == {"receiving_council", "receiving_contact", "reasons"}
    with pytest.raises(ValidationError):
        _transfer(case_in(CaseStatus.CLOSED), user)
    _transfer(case, user)
    with pytest.raises(ValidationError, match="already been transferred"):
        _transfer(case, user)
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR])
def test_coordinators_and_chairs_record_a_transfer_on_its_page(staff_client, role):
    client = staff_client(role)
    case = case_in(CaseStatus.SUPPORT)
    url = reverse("channel:case-transfer", kwargs={"pk": case.pk})
    page = client.get(url).content.decode()
    assert "send it to the receiving council by secure email" in page.lower()
    assert "print" in page
    response = client.post(url, FORM)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == (CaseStatus.CLOSED, ClosureReason.TRANSFERRED)
    page = client.get(url).content.decode()
    assert "Fictional Borough Council" in page and "Record the transfer" not in page


def test_a_transfer_with_missing_answers_keeps_what_was_typed(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case = case_in(CaseStatus.SUPPORT)
    response = client.post(reverse("channel:case-transfer", kwargs={"pk": case.pk}),
                           {**FORM, "receiving_council": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter the council the case is transferred to" in body
    assert "Fictional: the person moved to the area." in body and "prevent@example.test" in body
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT


@pytest.mark.parametrize("role", [Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER])
def test_only_case_transfer_users_may_transfer_or_download(staff_client, role):
    client = staff_client(role)
    case = case_in(CaseStatus.SUPPORT, user=client.user)
    assert client.get(reverse("channel:case-transfer", kwargs={"pk": case.pk})).status_code == 403
    assert client.post(reverse("channel:case-transfer", kwargs={"pk": case.pk}), FORM).status_code == 403
    for format in ("json", "html"):
        url = reverse("channel:case-transfer-bundle", kwargs={"pk": case.pk, "format": format})
        assert client.get(url).status_code == 403
    assert not Transfer.objects.exists()


def _full_case():
    """A case with something in each part of the bundle."""
    author = UserFactory(roles=[Role.PREVENT_COORDINATOR], full_name="Fictional Author")
    case = case_in(CaseStatus.SUPPORT)
    case.person.given_name, case.person.family_name = "Fictionalia", "Bundleperson"
    case.person.save()
    now = timezone.now()
    Consent.objects.create(case=case, giver=ConsentGiver.PERSON, giver_name="Fictionalia Bundleperson",
                           asked_by=author, method=ConsentMethod.IN_PERSON,
                           asked_on=datetime.date(2026, 2, 1),
                           answer=ConsentAnswer.GIVEN, answered_on=datetime.date(2026, 2, 1),
                           recorded_by=author, recorded_at=now)
    framework = VafFramework.objects.get(version=1)
    factor = VafFactor.objects.filter(dimension__framework=framework).first()
    assessment = Assessment.objects.create(case=case, framework=framework, kind=AssessmentKind.ADOPTION,
                                           assessed_on=datetime.date(2026, 2, 2), created_by=author,
                                           created_at=now, completed_at=now)
    FactorEvidence.objects.create(assessment=assessment, factor=factor, evidence="Fictional evidence.",
                                  source="Fictional school")
    DimensionJudgement.objects.create(assessment=assessment, dimension=factor.dimension,
                                      judgement="Fictional judgement.", author=author, written_at=now)
    Note.objects.create(case=case, text="Fictional note text.", written_by=author, written_at=now)
    CaseTeamMember.objects.create(case=case, user=author, role=CaseRole.COORDINATOR, added_at=now,
                                  added_by=author)
    post_exit_review(case, 6)
    return case, factor


def test_the_bundle_holds_the_key_parts_and_each_download_is_audited(staff_client):
    client = staff_client(Role.PREVENT_COORDINATOR)
    case, factor = _full_case()
    _transfer(case, client.user)
    response = client.get(reverse("channel:case-transfer-bundle", kwargs={"pk": case.pk, "format": "json"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}-transfer.json"'
    bundle = json.loads(response.content)
    assert bundle["case"]["reference"] == case.reference
    assert bundle["case"]["closure_reason"] == ClosureReason.TRANSFERRED.label
    assert bundle["transfer"]["receiving_council"] == "Fictional Borough Council"
    assert bundle["person"]["family_name"] == "Bundleperson"
    assert [r["reference"] for r in bundle["referrals"]] == [case.referral.reference]
    assert bundle["transitions"][-1]["to"] == CaseStatus.CLOSED.label
    assert bundle["consent"][0]["answer"] == ConsentAnswer.GIVEN.label
    assessed = bundle["assessments"][0]
    assert assessed["factors"][0]["factor"] == factor.wording
    assert assessed["factors"][0]["evidence"] == "Fictional evidence."
    assert assessed["judgements"][0]["judgement"] == "Fictional judgement."
    assert bundle["notes"][0]["text"] == "Fictional note text."
    member = bundle["team"][0]
    assert (member["name"], member["role"]) == ("Fictional Author", "Prevent coordinator")
    assert bundle["reviews"][0]["months_after_exit"] == 6
    assert any("Transfer to Fictional Borough Council" in e["summary"] for e in bundle["chronology"])
    assert "submission_key" not in bundle["referrals"][0]

    html = client.get(reverse("channel:case-transfer-bundle", kwargs={"pk": case.pk, "format": "html"}))
    body = html.content.decode()
    assert "Bundleperson" in body and "Fictional judgement." in body and "Save as PDF" in body
    downloads = AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_type="channel.channelcase",
                                          object_id=str(case.pk))
    assert sorted(event.details["format"] for event in downloads) == ["html", "json"]


def test_the_bundle_can_be_previewed_before_the_transfer(staff_client):
    client = staff_client(Role.CHANNEL_CHAIR)
    case = case_in(CaseStatus.SUPPORT)
    response = client.get(reverse("channel:case-transfer-bundle", kwargs={"pk": case.pk, "format": "json"}))
    assert json.loads(response.content)["transfer"] is None
    assert AuditEvent.objects.get(action=AuditAction.DOWNLOAD).details["preview"] is True
    assert client.get(reverse("channel:case-transfer-bundle",
                              kwargs={"pk": case.pk, "format": "pdf"})).status_code == 404
