"""Password rules beyond length and Django's common-password list: no words
from the service's context (ASVS V6.1.2, V6.2.11) and no password known from
a breach (V6.2.12), on every form where a password is chosen."""

import hashlib
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import sign_in
from prevent_hub.accounts.forms import NewPasswordForm
from prevent_hub.accounts.models import Organisation, OrganisationType
from prevent_hub.accounts.password_validators import BreachedPasswordValidator, context_words

from .factories import TEST_PASSWORD, UserFactory
from .helpers import enrol, next_code_for

pytestmark = pytest.mark.django_db
BREACHED = "plum orchard lantern glow"
CONTEXT_MESSAGE = "Do not use the name of this service, the council or your organisation"


@pytest.fixture
def person():
    organisation = Organisation.objects.create(name="Westbrook Academy Trust",
                                               type=OrganisationType.EDUCATION)
    return UserFactory(full_name="Morwenna Quillfeather", email="m.quillfeather@westbrook.example",
                       organisation=organisation)


def form_errors(password, user) -> list[str]:
    form = NewPasswordForm(user, {"new_password1": password, "new_password2": password})
    form.is_valid()
    return form.errors.get("new_password1", [])


@pytest.mark.parametrize(("password", "word"), [
    ("my prevent hub password", "“preventhub”"),         # the service's name
    ("shireford sunrise meadow", "“shireford”"),          # the council's
    ("Pr3vent-work-is-important", "“prevent”"),           # dressed up with a digit
    ("the CHANNEL crossing swim", "“channel”"),
    ("westbrook lemon tuesday", "“westbrook”"),           # their organisation
    ("morwenna likes marmalade", "“morwenna”"),
])
def test_context_words_are_refused_with_a_clear_message(person, password, word):
    errors = form_errors(password, person)
    assert any(word in error and CONTEXT_MESSAGE in error for error in errors), errors


def test_ordinary_passphrases_pass(person):
    assert form_errors("plum orchard lantern", person) == []


def test_local_words_can_be_added(person, settings):
    settings.PASSWORD_CONTEXT_WORDS = ["Riverside Hospital"]
    assert "riverside" in context_words(person)
    assert form_errors("meet me by the riverside", person)


def test_the_reset_and_set_password_page_refuses_context_words(client, person,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": person.email})
    link = next(line for line in mail.outbox[0].body.split() if "/password-reset/" in line)
    form_url = client.get(link.replace("http://testserver", ""))["Location"]
    response = client.post(form_url, {"new_password1": "channel panel evening",
                                      "new_password2": "channel panel evening"})
    assert response.status_code == 200 and CONTEXT_MESSAGE in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_the_change_password_page_refuses_context_words(person):
    device, _codes = enrol(person)
    client = Client()
    sign_in(client, person)
    response = client.post(reverse("accounts:password-change"), {
        "current_password": TEST_PASSWORD, "code": next_code_for(device),
        "new_password1": "shireford prevent meeting", "new_password2": "shireford prevent meeting"})
    assert response.status_code == 200 and CONTEXT_MESSAGE in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


# Breached passwords -------------------------------------------------------------


class FakeRange(BaseHTTPRequestHandler):
    """Answers as api.pwnedpasswords.com/range/<prefix> does, padding included."""

    asked: list = []

    def do_GET(self):
        FakeRange.asked.append((self.path, dict(self.headers)))
        digest = hashlib.sha1(BREACHED.encode(), usedforsecurity=False).hexdigest().upper()
        lines = ["0018A45C4D1DEF81644B54AB7F969B88D65:1", "00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0"]
        if self.path.endswith("/" + digest[:5]):
            lines.insert(1, f"{digest[5:]}:52")
        body = "\r\n".join(lines).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_range(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRange)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeRange.asked = []
    settings.PASSWORD_BREACH_CHECK_URL = f"http://127.0.0.1:{server.server_port}/range/"
    yield FakeRange.asked
    server.shutdown()
    server.server_close()


def test_a_breached_password_is_refused_and_only_a_hash_prefix_is_sent(fake_range, person):
    errors = form_errors(BREACHED, person)
    assert errors == ["This password has appeared in a data breach elsewhere, so it is not safe to use. "
                      "Choose a different password"]
    digest = hashlib.sha1(BREACHED.encode(), usedforsecurity=False).hexdigest().upper()
    (path, headers), = fake_range
    assert path == "/range/" + digest[:5]
    sent = path + " ".join(f"{key}: {value}" for key, value in headers.items())
    assert digest[5:] not in sent.upper() and BREACHED not in sent
    assert headers.get("Add-Padding") == "true"


def test_a_password_not_in_the_range_passes(fake_range, person):
    assert form_errors("plum orchard lantern", person) == []
    assert len(fake_range) == 1


def test_padding_lines_are_not_breaches(settings):
    settings.PASSWORD_BREACH_CHECK_URL = "http://range.invalid/range/"
    # Add-Padding answers carry made-up suffixes with a count of 0.
    digest = hashlib.sha1(BREACHED.encode(), usedforsecurity=False).hexdigest().upper()
    validator = BreachedPasswordValidator()
    validator._range = lambda url, prefix: f"{digest[5:]}:0"
    validator.validate(BREACHED)
    validator._range = lambda url, prefix: f"{digest[5:].lower()}:3"
    with pytest.raises(ValidationError):
        validator.validate(BREACHED)


def test_when_the_service_is_unreachable_the_password_is_accepted_with_a_warning(settings, person, caplog):
    with ThreadingHTTPServer(("127.0.0.1", 0), FakeRange) as closed:
        port = closed.server_port
    settings.PASSWORD_BREACH_CHECK_URL = f"http://127.0.0.1:{port}/range/"
    with caplog.at_level(logging.WARNING, logger="prevent_hub.accounts.password_validators"):
        assert form_errors(BREACHED, person) == []
    assert "Breached-password check skipped" in caplog.text


def test_off_unless_configured(fake_range, settings, person):
    settings.PASSWORD_BREACH_CHECK_URL = ""
    assert form_errors(BREACHED, person) == []
    assert fake_range == [], "nothing is sent when no address is set"
