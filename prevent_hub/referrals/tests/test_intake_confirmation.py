"""What the intake journey says once something is sent: a concern without the
sender's name, the confirmation page and email in the sender's own terms (a
concern or a referral) with the other people the guided questions said to
tell, the practitioner's own copy as a PDF in that browser only, and the
coordinator's PDF for police. One client per person."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.panels.tests.helpers import pdf_text
from prevent_hub.public import questions
from prevent_hub.referrals.models import Referral

from .intake_helpers import PUBLIC_ANSWERS, fill, fill_practitioner, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("routing_rules")]


@pytest.fixture
def routing_rules():
    """The contacts and routing rules the data migrations load (a test before
    this one may have emptied the tables)."""
    import importlib

    from django.apps import apps

    for module, loader in (("prevent_hub.directory.migrations.0002_default_contacts", "load_defaults"),
                           ("prevent_hub.directory.migrations.0003_public_pages_contacts", "load_added"),
                           ("prevent_hub.directory.migrations.0005_default_routing_rules", "load_rules")):
        getattr(importlib.import_module(module), loader)(apps, None)


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


def answered_get_help(client, *, who, age):
    session = client.session
    session[questions.SESSION_KEY] = {"danger": "no", "online": "no", "who": who, "age": age}
    session.save()


def send(client, prefix, *, execute_on_commit):
    with execute_on_commit(execute=True):
        response = submit(client, prefix)
    return client.get(response["Location"])


class TestAConcernWithoutTheSendersName:
    def test_the_page_says_what_leaving_out_contact_details_means(self):
        client = Client()
        client.get(reverse("intake:concern-start"))
        response = client.post(reverse("intake:concern-start"))
        page = text_of(client.get(response["Location"]))
        assert "You do not have to tell us who you are" in page
        assert ("we cannot ask you questions about it, send you a reference or tell you we have received "
                "it") in page

    def test_it_is_received_with_no_name_and_no_email(self, django_capture_on_commit_callbacks):
        client = Client()
        answers = {**PUBLIC_ANSWERS, "about-you": {}}
        fill(client, "concern", answers)
        confirmation = send(client, "concern", execute_on_commit=django_capture_on_commit_callbacks)
        referral = Referral.objects.get()
        assert (referral.referrer_name, referral.referrer_email, referral.referrer_phone) == ("", "", "")
        assert mail.outbox == []
        text = text_of(confirmation)
        assert "Concern received" in text and referral.reference in text
        assert "Keep a note of your reference. Quote it if you contact us about this concern." in text

        coordinator = Client()
        sign_in(coordinator, UserFactory(roles=[Role.PREVENT_COORDINATOR]))
        page = text_of(coordinator.get(reverse("triage:referral", kwargs={"reference": referral.reference})))
        assert "Who made the referral Name Not given" in page


class TestInTheSendersOwnTerms:
    def test_a_concern_is_a_concern_and_repeats_tell_the_childrens_team(self,
                                                                         django_capture_on_commit_callbacks):
        client = Client()
        answered_get_help(client, who="family-or-friend", age="child")
        fill(client, "concern", PUBLIC_ANSWERS)
        confirmation = text_of(send(client, "concern", execute_on_commit=django_capture_on_commit_callbacks))
        assert "Who else to tell" in confirmation
        assert "Tell the council's children's team" in confirmation
        assert "First Response Children's Duty" in confirmation
        assert "Sending us your concern does not tell them for you" in confirmation
        others = confirmation.split("Who else to tell")[1][:400]
        assert "Shireford Prevent team (Community Safety)" not in others  # they have it already

        [email] = mail.outbox
        reference = Referral.objects.get().reference
        assert email.subject == f"We have received your concern: {reference}"
        assert "Thank you for telling Shireford County Council about your concern." in email.body
        assert "Who else to tell" in email.body and "First Response Children's Duty" in email.body
        assert "referral" not in email.body.replace("Shireford", "")
        assert "Fictional worry" not in email.body

    def test_a_referral_is_a_referral_and_repeats_tell_adult_social_care(self,
                                                                          django_capture_on_commit_callbacks):
        client = Client()
        answered_get_help(client, who="professional", age="adult")
        fill_practitioner(client)
        confirmation = text_of(send(client, "referral", execute_on_commit=django_capture_on_commit_callbacks))
        assert "Referral received" in confirmation
        assert "If it is about an adult with care needs, tell Adult Social Care as well" in confirmation
        [email] = mail.outbox
        assert email.subject.startswith("We have received your referral: PRV-")
        assert "about your referral." in email.body and "Adult Social Care" in email.body
        assert "concern" not in email.body

    def test_without_the_guided_questions_nothing_else_is_repeated(self, django_capture_on_commit_callbacks):
        client = Client()
        fill(client, "concern", PUBLIC_ANSWERS)
        confirmation = text_of(send(client, "concern", execute_on_commit=django_capture_on_commit_callbacks))
        assert "Who else to tell" not in confirmation
        assert "Who else to tell" not in mail.outbox[0].body


class TestThePractitionersOwnCopy:
    def test_a_pdf_from_the_confirmation_page_in_that_browser_only(self, django_capture_on_commit_callbacks):
        teacher = Client()
        fill_practitioner(teacher)
        confirmation = send(teacher, "referral", execute_on_commit=django_capture_on_commit_callbacks)
        soup = BeautifulSoup(confirmation.content, "html5lib")
        link = soup.find("a", string="Download a copy of your referral (PDF)")
        assert link is not None
        response = teacher.get(link["href"])
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
        assert "no-store" in response["Cache-Control"]
        referral = Referral.objects.get()
        text = pdf_text(response.content)
        assert f"Prevent referral {referral.reference}" in text
        assert "OFFICIAL-SENSITIVE" in text and "Fictional: shared a made-up video in class." in text
        event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
        assert (event.object_id, event.details["copy"]) == (str(referral.pk), "referrer")

        someone_else = Client()
        assert someone_else.get(link["href"]).status_code == 404

    def test_a_concern_has_no_pdf(self, django_capture_on_commit_callbacks):
        client = Client()
        fill(client, "concern", PUBLIC_ANSWERS)
        confirmation = text_of(send(client, "concern", execute_on_commit=django_capture_on_commit_callbacks))
        assert "(PDF)" not in confirmation
        assert client.get(reverse("intake:referral-submitted-pdf")).status_code == 404


class TestTheCoordinatorsPdfForPolice:
    @pytest.fixture
    def referral(self):
        from .factories import ReferralFactory

        return ReferralFactory(subject_given_name="Testy", subject_family_name="<b>Example</b>")

    def test_downloaded_from_the_referral_page_and_audited(self, referral):
        coordinator = Client()
        user = sign_in(coordinator, UserFactory(roles=[Role.PREVENT_COORDINATOR]))
        page = coordinator.get(reverse("triage:referral", kwargs={"reference": referral.reference}))
        link = BeautifulSoup(page.content, "html5lib").select_one("a[href$='referral.pdf']")
        response = coordinator.get(link["href"])
        assert response.content.startswith(b"%PDF")
        text = pdf_text(response.content)
        assert "<b>Example</b>" in text  # as typed, never as markup
        assert "Date of birth" in text and "1 April 2010" in text
        event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
        assert (event.actor, event.object_id, event.details["copy"]) == (user, str(referral.pk), "for police")

    def test_only_coordinators(self, referral):
        police = Client()
        sign_in(police, UserFactory(roles=[Role.POLICE_PRACTITIONER]))
        url = reverse("triage:referral-pdf", kwargs={"reference": referral.reference})
        assert police.get(url).status_code == 403
        assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


@pytest.mark.parametrize(("prefix", "answers"), [
    ("concern", {"about-you": {"referrer_email": "pat@test.shireford.example"}}),
    ("referral", {"about-you": {"referrer_name": "Testy", "referrer_organisation": "Test Academy",
                                "referrer_email": "testy@test.shireford.example"}}),
])
def test_save_and_come_back_later_offers_the_email_already_given(prefix, answers):
    client = Client()
    fill(client, prefix, answers)
    page = BeautifulSoup(client.get(reverse(f"intake:{prefix}-save")).content, "html5lib")
    expected = answers["about-you"]["referrer_email"]
    assert page.select_one("input[name=email]")["value"] == expected
