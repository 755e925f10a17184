"""The second factor: setting up an authenticator app, recovery codes, and
entering a code at each sign-in."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import sign_in
from prevent_hub.accounts import second_factor
from prevent_hub.accounts.models import RecoveryCode
from prevent_hub.accounts.services import user_second_factor_reset
from prevent_hub.audit.models import AuditAction, AuditEvent

from .factories import UserFactory
from .helpers import (
    code_for,
    codes_on_page,
    enrol,
    let_throttling_pass,
    next_code_for,
    sign_in_with_password,
    stored_matches,
    wrong_code_for,
)

SETUP = reverse("accounts:second-factor-setup")
VERIFY = reverse("accounts:second-factor")
RECOVERY = reverse("accounts:second-factor-recovery")
RECOVERY_CODES = reverse("accounts:recovery-codes")
NEXT = "?next=%2Fstaff%2F"


@pytest.fixture
def user(db):
    return UserFactory(email="sam@test.shireford.example", full_name="Sam Test-Officer")


def errors(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [item.get_text(" ", strip=True) for item in soup.select(".govuk-error-summary__list li")]


def test_the_whole_journey_set_up_then_sign_in_again_with_a_code(client, user):
    # Password first; the staff area then asks for a second factor to be set up.
    assert sign_in_with_password(client, user)["Location"] == "/staff/"
    response = client.get("/staff/")
    assert response["Location"] == SETUP + NEXT

    # The set-up page: a QR code drawn on the server, the key for typing in, a code box.
    page = client.get(SETUP + NEXT)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    soup = BeautifulSoup(html, "html.parser")
    svg = soup.select_one(".app-qr-code svg")
    assert svg is not None and svg["role"] == "img" and svg["aria-label"]
    assert "style" not in str(svg), "the CSP refuses style attributes"
    assert "http" not in str(svg), "no external requests"
    assert second_factor.secret_for_display(device) in html
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", second_factor.secret_for_display(device))
    code_input = soup.select_one("input[name=code]")
    assert code_input["autocomplete"] == "one-time-code"
    assert code_input["inputmode"] == "numeric"
    # Reloading keeps the same key, so a half-scanned code still works.
    client.get(SETUP + NEXT)
    assert TOTPDevice.objects.filter(user=user).count() == 1

    # A code in the wrong shape, then a wrong code, each get a GOV.UK error.
    response = client.post(SETUP, {"code": "12ab", "next": "/staff/"})
    assert errors(response) == ["The security code must be 6 numbers"]
    assert "<title>Error:" in response.content.decode()
    response = client.post(SETUP, {"code": wrong_code_for(device), "next": "/staff/"})
    assert errors(response)[0].startswith("The security code is not correct")
    assert client.get("/staff/").status_code == 302
    let_throttling_pass(user)

    # The right code confirms the app, verifies this session and makes recovery codes.
    response = client.post(SETUP, {"code": code_for(device), "next": "/staff/"})
    assert response.status_code == 302
    assert response["Location"] == RECOVERY_CODES + NEXT
    device.refresh_from_db()
    assert device.confirmed
    enrolled = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.pk), changed_fields=["second_factor"]
    )
    assert enrolled.count() == 1

    # The codes are shown once, with advice, then never again.
    page = client.get(RECOVERY_CODES + NEXT)
    html = page.content.decode()
    shown = codes_on_page(html)
    assert len(shown) == second_factor.RECOVERY_CODE_COUNT
    assert "You will not be able to see these codes again" in html
    # Stored only as hashes: each code shown matches one, and no plain text is kept.
    assert [stored_matches(user, code) for code in shown] == [1] * len(shown)
    assert RecoveryCode.objects.filter(device__user=user).count() == len(shown)
    assert not StaticToken.objects.filter(device__user=user).exists()
    hashes = " ".join(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert hashes.startswith("pbkdf2_sha256$")
    assert not any(code.replace("-", "") in hashes for code in shown)
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    again = client.get(RECOVERY_CODES + NEXT)
    assert again.status_code == 302 and again["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200

    # Next time: password, then a code from the app.
    client.post(reverse("accounts:sign-out"))
    sign_in_with_password(client, user)
    assert client.get("/staff/")["Location"] == VERIFY + NEXT
    page = client.get(VERIFY + NEXT)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("h1 label").get_text(strip=True).startswith("Enter the security code")
    assert soup.select_one("input[name=code]")["autocomplete"] == "one-time-code"
    assert soup.find("a", string="Use a recovery code instead")["href"] == RECOVERY + NEXT

    response = client.post(VERIFY, {"code": wrong_code_for(device), "next": "/staff/"})
    assert response.status_code == 200
    assert errors(response)[0].startswith("The security code is not correct")
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, object_id=str(user.pk))
    assert [event.details for event in failed] == [{"second_factor": True}]
    assert client.get("/staff/").status_code == 302

    let_throttling_pass(user)
    response = client.post(VERIFY, {"code": next_code_for(device), "next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, object_id=str(user.pk), details__second_factor=True
    ).exists()


def test_wrong_codes_are_throttled_even_when_the_next_one_is_right(client, user):
    device, _codes = enrol(user)
    sign_in_with_password(client, user)
    client.post(VERIFY, {"code": wrong_code_for(device)})
    # Straight away, even the right code is refused: django-otp makes them wait.
    response = client.post(VERIFY, {"code": next_code_for(device)})
    assert re.match(r"You have entered a wrong code too many times. Wait \d+ seconds?, then try again",
                    errors(response)[0])
    assert client.get("/staff/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a refused attempt does not count again
    throttled = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, details__throttled=True)
    assert throttled.count() == 1

    let_throttling_pass(user)
    assert client.post(VERIFY, {"code": next_code_for(device)}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_each_recovery_code_works_once(client, user):
    _device, codes = enrol(user)
    code = codes[0]
    sign_in_with_password(client, user)
    page = client.get(RECOVERY + NEXT)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("h1 label").get_text(strip=True) == "Enter a recovery code"

    # Typed as shown (with a dash), in capitals, with spaces: all fine.
    response = client.post(RECOVERY, {"code": f" {code[:4].upper()}-{code[4:]} ", "next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    staff_home = client.get("/staff/")
    assert staff_home.status_code == 200
    assert "You have 9 recovery codes left" in staff_home.content.decode()
    assert stored_matches(user, code) == 0

    client.post(reverse("accounts:sign-out"))
    sign_in_with_password(client, user)
    response = client.post(RECOVERY, {"code": code, "next": "/staff/"})
    assert errors(response) == ["The recovery code is not correct or has already been used"]
    assert client.get("/staff/").status_code == 302
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, object_id=str(user.pk)).get()
    assert failed.details == {"second_factor": True, "recovery_code": True}

    let_throttling_pass(user)
    assert client.post(RECOVERY, {"code": codes[1], "next": "/staff/"}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_recovery_code_in_the_wrong_shape(client, user):
    enrol(user)
    sign_in_with_password(client, user)
    response = client.post(RECOVERY, {"code": "abc-1890"})
    assert errors(response) == ["Enter a recovery code in the right format, for example abcd-2345"]
    assert errors(client.post(RECOVERY, {"code": ""})) == ["Enter a recovery code"]


def test_no_recovery_codes_left(client, user):
    _device, codes = enrol(user)
    RecoveryCode.objects.filter(device__user=user).delete()
    sign_in_with_password(client, user)
    response = client.post(RECOVERY, {"code": codes[0]})
    assert errors(response)[0].startswith("The recovery code is not correct")


@pytest.mark.parametrize("path", [SETUP, VERIFY, RECOVERY, RECOVERY_CODES])
def test_the_second_factor_pages_need_a_password_first(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_set_up_is_only_for_people_without_an_authenticator(client, user):
    enrol(user)
    sign_in_with_password(client, user)
    assert client.get(SETUP + NEXT)["Location"] == VERIFY + NEXT
    # Nor can a second authenticator be slipped in with a code from the first.
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_people_without_an_authenticator_are_sent_to_set_one_up(client, user):
    sign_in_with_password(client, user)
    assert client.get(VERIFY + NEXT)["Location"] == SETUP + NEXT
    assert client.get(RECOVERY + NEXT)["Location"] == SETUP + NEXT


def test_already_verified_sessions_move_on(client, user):
    sign_in(client, user)
    assert client.get(VERIFY + NEXT)["Location"] == "/staff/"
    assert client.get(SETUP + NEXT)["Location"] == "/staff/"


@pytest.mark.parametrize("next_url", [
    "https://evil.example/staff/", "//evil.example/", "javascript:alert(1)",
])
def test_next_must_be_on_this_site(client, user, next_url):
    device, _codes = enrol(user)
    sign_in_with_password(client, user)
    response = client.post(VERIFY, {"code": next_code_for(device), "next": next_url})
    assert response["Location"] == "/staff/"


def test_next_is_kept_through_the_journey(client, user):
    device, _codes = enrol(user)
    sign_in_with_password(client, user, next_url="/staff/account/")
    assert client.get("/staff/account/")["Location"] == VERIFY + "?next=%2Fstaff%2Faccount%2F"
    response = client.post(VERIFY, {"code": next_code_for(device), "next": "/staff/account/"})
    assert response["Location"] == "/staff/account/"


def test_after_an_administrator_resets_it_the_next_sign_in_sets_up_a_new_one(client, user):
    admin = UserFactory()
    device, codes = enrol(user)
    sign_in(client, user)
    assert client.get("/staff/").status_code == 200

    user_second_factor_reset(acting_user=admin, user=user, identity_check="called_back",
                             identity_check_details="Called back on the number HR holds")

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(device__user=user).exists()
    # Signed out at once...
    assert client.get("/staff/")["Location"].startswith(reverse("accounts:sign-in"))
    # ...and the next sign-in goes to set-up, which gives a new key.
    sign_in_with_password(client, user)
    assert client.get("/staff/")["Location"] == SETUP + NEXT
    client.get(SETUP + NEXT)
    new_device = TOTPDevice.objects.get(user=user)
    assert new_device.key != device.key
    response = client.post(SETUP, {"code": code_for(new_device), "next": "/staff/"})
    assert response["Location"] == RECOVERY_CODES + NEXT
    new_codes = codes_on_page(client.get(response["Location"]).content.decode())
    assert not {code.replace("-", "") for code in new_codes} & set(codes)
    assert client.get("/staff/").status_code == 200


def test_qr_code_svg_has_no_style_and_encodes_the_otpauth_address(user):
    device = second_factor.totp_device_for_setup(acting_user=user)
    svg = second_factor.qr_code_svg(device)
    assert svg.startswith("<svg role=\"img\"")
    assert "style" not in svg and "<script" not in svg
    assert device.config_url.startswith("otpauth://totp/Prevent%20Hub%3Asam%40test.shireford.example?")
