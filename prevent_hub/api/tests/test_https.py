"""ASVS V4.1.2: people's pages are redirected from HTTP to HTTPS, the partner
API is not. A partner system calling http:// is refused with a problem
document, so the mistake shows at once instead of hiding behind a redirect."""

import base64
import json
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from .factories import bearer, issue_token, referral_body

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def production_transport(settings):
    """The transport settings production.py turns on."""
    settings.SECURE_SSL_REDIRECT = True
    settings.API_REQUIRE_HTTPS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/referrals/PRV-2000-000001"),
    ("POST", "/api/v1/referrals"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v2/nothing-here"),
])
def test_a_plain_http_api_request_is_refused_not_redirected(client, production_transport, method, path):
    _, plaintext = issue_token(scopes=["referrals:submit", "referrals:read"])
    body = json.dumps(referral_body()) if method == "POST" else ""
    response = client.generic(method, path, body, content_type="application/json", **bearer(plaintext))
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:prevent-hub:problem:https-required"
    assert "https://" in problem["detail"]
    assert "Location" not in response


def test_the_same_api_request_over_https_is_answered(client, production_transport):
    _, plaintext = issue_token(scopes=["referrals:submit"])
    response = client.post("/api/v1/referrals", json.dumps(referral_body()), content_type="application/json",
                           HTTP_X_FORWARDED_PROTO="https", **bearer(plaintext))
    assert response.status_code == 201, response.content


def test_pages_for_people_are_still_redirected_to_https(client, production_transport):
    response = client.get("/sign-in/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_production_settings_refuse_plain_http_on_the_api_and_redirect_the_rest():
    code = (
        "import re; from django.conf import settings as s;"
        "assert s.API_REQUIRE_HTTPS and s.SECURE_SSL_REDIRECT;"
        "exempt = [re.compile(r) for r in s.SECURE_REDIRECT_EXEMPT];"
        "assert any(r.search('api/v1/referrals') for r in exempt);"
        "assert not any(r.search('sign-in/') or r.search('apiary/') for r in exempt)"
    )
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": secrets.token_urlsafe(64),
             "ENCRYPTION_KEYS": "prod1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
             "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
