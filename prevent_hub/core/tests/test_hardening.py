"""Configuration an outside review probed: caching of private pages, unsafe
paths, security.txt, the favicon, and the Server header."""

import datetime
import types

import pytest
from django.http import HttpResponse
from django.test import Client

from prevent_hub.access.roles import Role
from prevent_hub.core.middleware import PrivateResponsesMiddleware

pytestmark = pytest.mark.django_db

HOSTILE_PATHS = [
    "/staff/referrals/PRV%00/", "/staff/referrals/%00/", "/staff/people/%00/", "/staff/%00",
    "/staff/cases/1/notes/%0d%0a/", "/staff/my-referrals/%00/continue/", "/%00", "/get-help/%00",
    "/staff/audit/records/x%00/1/", "/staff/people/identify/%1b%5b31m/"
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_control_characters_in_a_path_are_not_found_never_an_error(staff_client, path):
    response = staff_client(*Role.values).get(path)
    assert response.status_code == 404


def test_the_api_answers_a_control_character_with_its_own_not_found(client):
    response = client.get("/api/v1/referrals/PRV%00")
    assert response.status_code in (401, 404)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/staff/referrals/?q=%00", "/staff/people/?name=%00",
                                  "/staff/cases/?q=a%00b", "/staff/audit/?user=%00"])
def test_control_characters_in_a_search_never_make_an_error(staff_client, path):
    assert staff_client(*Role.values).get(path).status_code < 500


def test_downloads_anywhere_are_not_kept_by_browsers(client, rf):
    # A public page is cacheable as usual; a download (the practitioner's own
    # PDF of their referral is one, on a public address) never is.
    assert "no-store" not in client.get("/").get("Cache-Control", "")

    def download(request):
        response = HttpResponse(b"%PDF-", content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="PRV-2026-000001.pdf"'
        return response

    response = PrivateResponsesMiddleware(download)(rf.get("/get-help/referral.pdf"))
    assert response["Cache-Control"] == "private, no-store"


def test_security_txt_says_how_to_report_and_never_expires_stale(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@shireford.example"
    settings.SECURITY_POLICY_URL = "https://shireford.example/security-policy"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@shireford.example"
    assert fields["Policy"] == "https://shireford.example/security-policy"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    now = datetime.datetime.now(datetime.UTC)
    assert now < expires < now + datetime.timedelta(days=366)


def test_the_favicon_is_the_councils(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("core/favicon.svg")
    page = client.get("/").content.decode()
    assert "core/favicon.svg" in page
    assert "govuk/assets/images/favicon" not in page


def test_gunicorn_names_no_server_software():
    from gunicorn.http import wsgi

    import config.gunicorn  # noqa: F401 - applying the settings removes the header

    response = types.SimpleNamespace(
        upgrade=False, should_close=lambda: False, req=types.SimpleNamespace(version=(1, 1)),
        status="200 OK", version="gunicorn", chunked=False)
    headers = wsgi.Response.default_headers(response)
    assert headers[0] == "HTTP/1.1 200 OK\r\n"
    assert not [line for line in headers if line.lower().startswith("server:")]
    assert any(line.startswith("Date:") for line in headers)


def test_private_answers_are_never_stored(staff_client):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    for path in ("/staff/", "/staff/referrals/", "/staff/no-such-page/", "/api/v1/referrals"):
        assert coordinator.get(path)["Cache-Control"] == "private, no-store", path
    assert Client().get("/staff/")["Cache-Control"] == "private, no-store"


def test_a_hostile_reference_of_any_length_is_a_plain_not_found(staff_client):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    for reference in ("PRV-" + "9" * 500, "x" * 2000, "<script>alert(1)</script>"):
        response = coordinator.get(f"/staff/referrals/{reference}/")
        assert response.status_code == 404, reference[:20]
