import base64
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from prevent_hub.core.models import DemoDataLoad
from prevent_hub.core.startup import refuse_unsafe_start


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "object-src 'none'" in csp
    assert re.search(r"script-src 'self' 'nonce-[\w+/=-]+'", csp)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_every_inline_script_and_style_carries_the_nonce(client):
    response = client.get("/sign-in/")
    nonce = re.search(r"'nonce-([\w+/=-]+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "the page template sets js-enabled with an inline script"
    for attrs in inline_scripts:
        assert f'nonce="{nonce}"' in attrs
    for attrs in re.findall(r"<style([^>]*)>", html):
        assert f'nonce="{nonce}"' in attrs
    assert " style=" not in html, "inline style attributes are blocked by the CSP"


@pytest.mark.django_db
def test_nonce_changes_on_every_response(client):
    first = client.get("/sign-in/")["Content-Security-Policy"]
    second = client.get("/sign-in/")["Content-Security-Policy"]
    assert first != second


@pytest.mark.django_db
def test_a_hostile_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def _import_production_settings(**env):
    """Import production settings in a fresh interpreter; return (ok, stderr)."""
    base_env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ENCRYPTION_KEYS": "prod1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],
        cwd=settings.BASE_DIR, env={**base_env, **env}, capture_output=True, text=True,
        check=False,
    )
    return result.returncode == 0, result.stderr


_PASSWORD = "Vb7-qT2xLr9wPz4K"  # synthetic, not a default
_DEFAULT = "password is a well-known default"


def test_production_settings_start_with_a_strong_secret_and_debug_off():
    ok, stderr = _import_production_settings()
    assert ok, stderr


def test_production_accepts_encrypted_checked_connections_and_local_ones():
    ok, stderr = _import_production_settings(
        DATABASE_URL=f"postgres://ph_app:{_PASSWORD}@db.internal.example:5432/ph?sslmode=verify-full",
        DATABASE_REPLICA_URL=f"postgres://ph_report:{_PASSWORD}@%2Fvar%2Frun%2Fpostgresql/ph",
        EMAIL_URL=f"smtp+ssl://mailer:{_PASSWORD}@smtp.shireford.example:465",
        STORAGE_S3_BUCKET="prevent-hub", STORAGE_S3_ENDPOINT_URL="https://objects.shireford.example",
    )
    assert ok, stderr
    ok, stderr = _import_production_settings(
        DATABASE_URL="postgres://ph_app@127.0.0.1:5432/ph",  # password from ~/.pgpass, traffic on loopback
        EMAIL_URL="smtp://localhost:25",
    )
    assert ok, stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        # Connections off this machine: encrypted, the database's certificate checked (ASVS V12.3.1, V12.3.2).
        ({"DATABASE_URL": f"postgres://ph_app:{_PASSWORD}@db.internal.example:5432/ph"},
         "DATABASE_URL is refused in production: the database host 'db.internal.example' is not on"),
        ({"DATABASE_URL": f"postgres://ph_app:{_PASSWORD}@db.internal.example:5432/ph?sslmode=require"},
         "add ?sslmode=verify-full"),
        ({"DATABASE_REPLICA_URL": f"postgres://ph_app:{_PASSWORD}@10.0.0.7:5432/ph"},
         "DATABASE_REPLICA_URL is refused in production"),
        ({"EMAIL_URL": f"smtp://mailer:{_PASSWORD}@smtp.shireford.example:25"},
         "EMAIL_URL is refused in production: the mail server 'smtp.shireford.example' is not on"),
        ({"STORAGE_S3_BUCKET": "prevent-hub", "STORAGE_S3_ENDPOINT_URL": "http://minio.internal.example:9000"},
         "must be an https:// address"),
        # Well-known default credentials, even on this machine (ASVS V13.2.3).
        ({"DATABASE_URL": "postgres://postgres:postgres@127.0.0.1:5432/ph"}, _DEFAULT),
        ({"DATABASE_URL": "postgres://ph_app:Password@/ph"}, _DEFAULT),
        ({"DATABASE_URL": "postgres://ph_app:ph_app@localhost/ph"}, _DEFAULT),
        ({"EMAIL_URL": "smtp+tls://mailer:secret@smtp.shireford.example:587"}, _DEFAULT),
        ({"STORAGE_S3_BUCKET": "prevent-hub", "STORAGE_S3_ENDPOINT_URL": "https://minio.internal.example",
          "STORAGE_S3_SECRET_ACCESS_KEY": "minioadmin"}, "SECRET_ACCESS_KEY is a well-known default"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"DEMO_MODE": "true"}, "Demo data is not allowed"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        # Long enough, but low in entropy: a repeated pattern, one letter, a walk.
        ({"SECRET_KEY": "k3y-" + "x7Qp9" * 12}, "fewer than 12 different characters"),
        ({"SECRET_KEY": "Zq8-Lp3_Wx7kRm2vYt9n" * 3}, "it repeats a pattern"),
        ({"SECRET_KEY": "a" * 64}, "fewer than 12 different characters"),
        ({"SECRET_KEY": "a" * 52 + "bcdefghijklm"}, "too predictable"),
        ({"SECRET_KEY": "abcdefghijklmnopqrstuvwxyz" * 3}, "it repeats a pattern"),
        # Special-category data is encrypted with a key from outside the database.
        ({"ENCRYPTION_KEYS": ""}, "No encryption key"),
        ({"ENCRYPTION_KEYS": "prod1:not-base64!"}, "is not valid base64"),
        ({"ENCRYPTION_KEYS": "prod1:" + base64.b64encode(b"too short").decode()}, "must be 32 random bytes"),
        ({"ENCRYPTION_KEYS": "no id here"}, "id:base64key"),
        ({"ENCRYPTION_KEYS": "", "ENCRYPTION_KEY_FILE": "/nonexistent/keys"}, "cannot be read"),
    ],
)
def test_production_settings_refuse_unsafe_configuration(env, message):
    ok, stderr = _import_production_settings(**env)
    assert not ok
    assert message in stderr


def test_random_keys_of_every_usual_kind_are_accepted():
    from django.core.management.utils import get_random_secret_key

    from config.secret_key import weakness

    for _ in range(500):
        for key in (secrets.token_urlsafe(64), secrets.token_hex(50), get_random_secret_key()):
            assert weakness(key) == "", key


def test_production_turns_on_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "assert s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_SECONDS;"
        "assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE;"
        "assert s.SECURE_SSL_REDIRECT"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": secrets.token_urlsafe(64),
             "ENCRYPTION_KEYS": "prod1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
             "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_production_refuses_a_database_holding_demo_data(settings):
    settings.DEMO_MODE = False
    refuse_unsafe_start()  # a clean database is fine
    DemoDataLoad.objects.create(version="1")
    with pytest.raises(ImproperlyConfigured, match="demo data"):
        refuse_unsafe_start()


@pytest.mark.parametrize(("mode", "warned"), [(0o640, False), (0o600, False), (0o644, True), (0o660, True)])
def test_deploy_check_warns_when_the_secrets_file_is_open_to_others(settings, tmp_path, mode, warned):
    from django.core.checks.registry import registry

    from prevent_hub.core.checks import secrets_files_private

    assert secrets_files_private in registry.get_checks(include_deployment_checks=True)
    assert secrets_files_private not in registry.get_checks()  # only `check --deploy`
    secrets_file = tmp_path / "env"
    secrets_file.write_text(f"SECRET_KEY={secrets.token_urlsafe(64)}\n")
    secrets_file.chmod(mode)
    settings.SECRETS_ENV_FILE = str(secrets_file)
    warnings = [w for w in secrets_files_private() if w.id == "core.W002"]
    assert bool(warnings) == warned
    if warned:
        assert str(secrets_file) in warnings[0].msg
        assert "chmod 0640" in warnings[0].hint


def test_no_template_uses_a_base_element():
    """base-uri 'none' would break a page that relied on one."""
    from pathlib import Path

    templates = [path for path in Path(settings.BASE_DIR, "prevent_hub").rglob("*.html")]
    assert templates
    assert not [path for path in templates if re.search(r"<base[\s>]", path.read_text(), re.IGNORECASE)]
