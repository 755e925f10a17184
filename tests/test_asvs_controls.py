"""Controls docs/security-asvs.md cites that no other test proved on its own:
cookie flags and HSTS as production sends them, the whole Content Security
Policy, no cross-origin reads, session keys, sign-out, password handling,
single-use authenticator codes, and error pages. Each test names the ASVS
requirements it is cited for."""

import base64
import json
import logging
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import sign_in
from prevent_hub.accounts.models import Session
from prevent_hub.accounts.second_factor import Method, Outcome, second_factor_check
from prevent_hub.accounts.tests.factories import TEST_PASSWORD, UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent

ROOT = Path(__file__).resolve().parent.parent
SIGN_IN = reverse("accounts:sign-in")
SIGN_OUT = reverse("accounts:sign-out")
EMAIL = "asvs@test.shireford.example"

# What production settings say about cookies and transport, read in a fresh
# interpreter (production.py refuses to import into a test run's settings).
_PRODUCTION_NAMES = [
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_DOMAIN", "CSRF_COOKIE_PATH",
    "PASSWORD_HASHERS",
]


@pytest.fixture(scope="module")
def production():
    code = ("import json; from django.conf import settings as s;"
            f"print(json.dumps({{n: getattr(s, n) for n in {_PRODUCTION_NAMES!r}}}))")
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": secrets.token_urlsafe(64),
             "ENCRYPTION_KEYS": "prod1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
             "DJANGO_SETTINGS_MODULE": "config.settings.production"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def as_production(settings, production):
    """This test run's settings with production's cookie and transport values."""
    for name, value in production.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    settings.SECURE_SSL_REDIRECT = False  # the test client asks over https itself
    return production


@pytest.fixture
def user(db):
    return UserFactory(email=EMAIL)


@pytest.mark.django_db
def test_production_cookies_are_host_only_secure_httponly_and_same_site(as_production):
    """V3.3.1, V3.3.2, V3.3.3, V3.3.4: every cookie the service sets, as production sets it."""
    user = UserFactory(email=EMAIL)
    client = Client()
    csrf = client.get(SIGN_IN, secure=True).cookies["__Host-csrftoken"]
    client.post(SIGN_IN, {"username": EMAIL, "password": TEST_PASSWORD}, secure=True)
    session = client.cookies["__Host-sessionid"]
    assert Session.objects.get(session_key=session.value).user_id == user.pk
    for cookie in (csrf, session):
        assert cookie["secure"] is True, cookie.key
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] in ("Lax", "Strict"), cookie.key
        # __Host- cookies must be sent for "/" with no Domain, or browsers drop them.
        assert cookie["path"] == "/" and not cookie["domain"], cookie.key
    assert sorted(client.cookies) == ["__Host-csrftoken", "__Host-sessionid"]


@pytest.mark.django_db
def test_production_sends_hsts_for_at_least_a_year_with_subdomains(as_production, client):
    """V3.4.1, V12.2.1."""
    header = client.get("/", secure=True)["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", header).group(1))
    assert max_age >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in header
    assert as_production["SECURE_SSL_REDIRECT"] is True
    assert as_production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign-in/", "/get-help/"])
def test_the_content_security_policy_allows_no_plugins_eval_inline_code_or_framing(client, path):
    """V1.3.2, V3.4.3 (all but base-uri 'none'), V3.4.6, V3.7.1, V14.2.3."""
    policy = {}
    for directive in client.get(path)["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[name] and "'unsafe-eval'" not in policy[name]
        assert [value for value in policy[name] if value.startswith("'nonce-")]
    # Nothing is loaded from, or sent to, another site.
    everything = " ".join(value for values in policy.values() for value in values)
    assert "http:" not in everything and "*" not in everything


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/openapi.json"), ("OPTIONS", "/api/v1/referrals"),
    ("GET", "/api/v1/referrals/PRV-2026-000001"), ("GET", "/"),
])
def test_no_other_site_is_allowed_to_read_an_answer(client, method, path):
    """V3.4.2: no Access-Control-Allow-Origin, whatever Origin a request claims."""
    response = client.generic(method, path, HTTP_ORIGIN="https://elsewhere.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert not [header for header in response.headers if header.lower().startswith("access-control-")]


@pytest.mark.django_db
def test_answers_say_what_they_are_and_in_which_character_set(client):
    """V4.1.1."""
    assert client.get("/")["Content-Type"] == "text/html; charset=utf-8"
    assert client.get("/no-such-page/")["Content-Type"] == "text/html; charset=utf-8"
    assert client.get("/api/v1/openapi.json")["Content-Type"] == "application/json"
    assert client.get("/api/v1/referrals")["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/.git/config", "/.git/HEAD", "/.env", "/static/", "/media/",
                                  "/var/prevent-hub.sqlite3", "/config/settings/production.py"])
def test_source_control_files_and_folder_listings_are_never_served(client, path):
    """V13.4.1, V13.4.3, V5.3.1: the service answers only its own URLs."""
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign-in/", "/api/v1/openapi.json", "/api/v1/referrals"])
def test_trace_is_refused(client, path):
    """V13.4.4."""
    response = client.generic("TRACE", path, HTTP_X_SECRET="echo me")
    assert response.status_code == 405
    assert b"echo me" not in response.content


def test_signing_in_gives_a_new_session_key_and_ends_the_old_one(client, user):
    """V7.2.4: a session fixed before sign-in is worth nothing after it."""
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key
    client.post(SIGN_IN, {"username": EMAIL, "password": TEST_PASSWORD})
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).user_id == user.pk


def test_session_keys_are_long_random_values(user):
    """V7.2.1, V7.2.3: 32 characters from 36 (over 160 bits), made and checked by the server."""
    keys = set()
    for _ in range(20):
        client = Client()
        client.post(SIGN_IN, {"username": EMAIL, "password": TEST_PASSWORD})
        keys.add(client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    assert len(keys) == 20
    assert all(re.fullmatch(r"[a-z0-9]{32}", key) for key in keys)
    # A key the server did not make is not a session.
    forged = Client()
    forged.cookies[django_settings.SESSION_COOKIE_NAME] = "a" * 32
    assert forged.get("/staff/").status_code == 302


def test_a_session_cookie_copied_before_sign_out_is_dead_after_it(client, user):
    """V7.4.1: signing out ends the session on the server, not just in this browser."""
    sign_in(client, user)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get("/staff/").status_code == 200
    client.post(SIGN_OUT)
    assert not Session.objects.filter(session_key=key).exists()
    copy = Client()
    copy.cookies[django_settings.SESSION_COOKIE_NAME] = key
    assert copy.get("/staff/")["Location"].startswith(SIGN_IN)


@pytest.mark.django_db
def test_a_long_password_of_any_characters_is_accepted_and_checked_exactly(client):
    """V6.2.5, V6.2.8, V6.2.9: 64+ characters of any kind; no truncation or case folding."""
    password = "Ünïcode façade, spaces and symbols £$%^&*() — " + "plum " * 10  # 96 characters
    assert len(password) >= 64
    user = UserFactory(email=EMAIL)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    for wrong in (password.upper(), password[:64], password[:-1], password.strip() + "x"):
        assert Client().post(SIGN_IN, {"username": EMAIL, "password": wrong}).status_code == 200, wrong
    assert client.post(SIGN_IN, {"username": EMAIL, "password": password}).status_code == 302


@pytest.mark.django_db
def test_password_fields_are_masked_and_password_managers_may_fill_them(client, staff_client):
    """V6.2.6, V6.2.7."""
    pages = [client.get(SIGN_IN).content.decode(),
             staff_client().get(reverse("accounts:password-change")).content.decode()]
    for html in pages:
        fields = re.findall(r"<input[^>]*\btype=\"password\"[^>]*>", html)
        assert fields
        for field in fields:
            assert re.search(r'autocomplete="(current|new)-password"', field), field
    for html in pages:
        assert not re.search(r"onpaste|oncopy|autocomplete=\"off\"", html)


def test_passwords_are_stored_with_a_slow_salted_hash(production, settings):
    """V11.4.2: production hashes with PBKDF2-SHA256, at least OWASP's 600,000
    iterations and a salt per password. (The test run itself uses a fast hasher.)"""
    settings.PASSWORD_HASHERS = production["PASSWORD_HASHERS"]
    first, second = make_password(TEST_PASSWORD), make_password(TEST_PASSWORD)
    algorithm, iterations, salt, _ = first.split("$")
    assert identify_hasher(first).algorithm == algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 600_000
    assert second.split("$")[2] != salt
    assert TEST_PASSWORD not in first


def test_there_are_no_password_hints_or_secret_questions(client, user):
    """V6.4.2: the account holds no hint or question, and reset asks only for the address."""
    names = {field.name for field in type(user)._meta.get_fields()}
    assert not {name for name in names if re.search(r"hint|question|answer|memorable", name)}
    html = client.get(reverse("accounts:password-reset")).content.decode()
    inputs = set(re.findall(r'<input[^>]*\bname="([^"]+)"', html)) - {"csrfmiddlewaretoken"}
    assert inputs == {"email"}


def test_an_authenticator_code_works_only_once(user):
    """V6.5.1: a code from the authenticator app (30-second steps) works once."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    assert device.step == 30 and device.tolerance <= 1
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
    first = second_factor_check(acting_user=user, method=Method.AUTHENTICATOR, code=code)
    assert first.outcome == Outcome.VERIFIED
    again = second_factor_check(acting_user=user, method=Method.AUTHENTICATOR, code=code)
    assert again.outcome == Outcome.WRONG


def test_signing_in_and_failing_to_are_audited_with_who_where_and_when(client, user):
    """V16.2.1, V16.3.1: the event names the account, the address, the browser and the request."""
    headers = {"HTTP_USER_AGENT": "Synthetic Browser/1.0", "REMOTE_ADDR": "192.0.2.10"}
    client.post(SIGN_IN, {"username": EMAIL, "password": "not the password"}, **headers)
    client.post(SIGN_IN, {"username": EMAIL, "password": TEST_PASSWORD}, **headers)
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    signed_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    for event in (failed, signed_in):
        assert event.object_id == str(user.pk)
        assert event.ip_address == "192.0.2.10"
        assert event.user_agent == "Synthetic Browser/1.0"
        assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)
        assert event.occurred_at.utcoffset().total_seconds() == 0
    assert failed.occurred_at <= signed_in.occurred_at
    assert "not the password" not in json.dumps(failed.details)


@pytest.mark.django_db
def test_an_unexpected_error_is_a_plain_page_and_is_logged(caplog, monkeypatch):
    """V16.3.4, V16.5.1: the visitor sees the service's own page; the log has the detail."""
    class Broken:
        @staticmethod
        def now():
            raise RuntimeError("secret internals")

    monkeypatch.setattr("prevent_hub.core.views.timezone", Broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/.well-known/security.txt")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "secret internals" not in page and "Traceback" not in page
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert logged and logged[0].exc_info[0] is RuntimeError


def test_values_in_the_address_do_not_fill_a_posted_form(client, user):
    """V15.3.7: a form reads its own body, never the query string as well."""
    response = client.post(f"{SIGN_IN}?username={EMAIL}&password={TEST_PASSWORD.replace(' ', '+')}", {})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_password_reset_does_not_get_round_the_second_factor(
        client, user, django_capture_on_commit_callbacks):
    """V6.4.3: after choosing a new password from the emailed link, the
    authenticator is still asked for."""
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": EMAIL})
    link = re.search(r"https?://testserver(/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "a fresh and equally long password"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert client.post(SIGN_IN, {"username": EMAIL, "password": new, "next": "/staff/"}).status_code == 302
    assert client.get("/staff/")["Location"].startswith(reverse("accounts:second-factor"))


def test_a_tampered_reset_link_does_not_work(client, user, django_capture_on_commit_callbacks):
    """V9.1.1: the link's token is an HMAC over the account's state and the time; change
    one character and it is refused."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": EMAIL})
    link = re.search(r"https?://testserver(/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    uid, token = link.strip("/").split("/")[1:]
    forged_token = token[:-1] + ("a" if token[-1] != "a" else "b")
    page = client.get(f"/password-reset/{uid}/{forged_token}/", follow=True).content.decode()
    assert "This link does not work" in page


PYTHON_NEVER = re.compile(
    r"\beval\(|\bexec\(|\bimport pickle|\bfrom pickle|\bimport marshal|\bimport shelve|yaml\.load\("
    r"|\.from_string\(|\bos\.system\(|shell=True|\bjsonpickle\b"
)
SCRIPT_NEVER = re.compile(
    r"\beval\(|new Function\(|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write"
    r"|localStorage|sessionStorage|indexedDB|setTimeout\(\s*[\"'`]|\.cookie\b"
)


def _hits(pattern, files):
    return [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            for path in files for number, line in enumerate(path.read_text().splitlines(), 1)
            if pattern.search(line)]


def test_the_source_runs_no_code_it_is_given_and_unpickles_nothing():
    """V1.2.5, V1.3.2, V1.3.7, V1.5.2, V3.2.2, V14.3.3: no eval, no pickle or YAML
    loading, no templates built from strings, no shell; our browser scripts write
    no HTML from strings and keep nothing in browser storage."""
    python = [path for folder in ("prevent_hub", "config") for path in (ROOT / folder).rglob("*.py")
              if "tests" not in path.parts]
    scripts = list((ROOT / "assets").rglob("*.js")) + list((ROOT / "assets").rglob("*.mjs"))
    assert len(python) > 100 and len(scripts) >= 3
    assert _hits(PYTHON_NEVER, python) == []
    assert _hits(SCRIPT_NEVER, scripts) == []
    # The scan finds what it looks for.
    assert PYTHON_NEVER.search("data = pickle.loads(x); import pickle") and PYTHON_NEVER.search("eval(text)")
    assert SCRIPT_NEVER.search("panel.innerHTML = text") and SCRIPT_NEVER.search("localStorage.setItem(k, v)")


def test_a_forwarded_address_a_client_made_up_is_not_believed(settings, rf):
    """V4.1.3, V15.3.4: behind one proxy, only the address that proxy saw counts;
    whatever the client put in X-Forwarded-For before it is ignored."""
    from prevent_hub.core.network import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    assert client_ip(spoofed) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(spoofed) == "10.0.0.1"


def test_an_svg_is_not_an_accepted_upload_whatever_it_is_called():
    """V1.3.4: scriptable images are never accepted, so never need cleaning."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from prevent_hub.core.uploads import attachment_check, content_type_of

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name in ("logo.svg", "photo.png", "scan.pdf"):
        upload = SimpleUploadedFile(name, svg, content_type="image/svg+xml")
        assert content_type_of(upload) is None
        with pytest.raises(ValidationError, match="must be a PDF, Word document"):
            attachment_check(SimpleUploadedFile(name, svg, content_type="image/png"))


def test_recovery_codes_and_authenticator_codes_are_long_enough(user):
    """V6.5.3, V6.5.4: ten recovery codes of 8 base-32 characters (40 bits each, at
    least 20 asked) and 6-digit authenticator codes from a 160-bit random seed."""
    from prevent_hub.accounts.second_factor import recovery_codes_replace, totp_device_for_setup

    codes = recovery_codes_replace(acting_user=user)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    device = totp_device_for_setup(acting_user=user)
    assert device.digits == 6 and len(device.bin_key) == 20
    assert totp_device_for_setup(acting_user=UserFactory()).bin_key != device.bin_key
