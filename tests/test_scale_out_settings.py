"""What the scale-out variables do to the settings, read in a fresh
interpreter as a server would start: DATABASE_REPLICA_URL adds the replica
and its router (nothing without it; never in the test suite), STORAGE_S3_*
put uploads in a private bucket (the file system without them), and
production settings with both still pass `check --deploy`."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTER = "prevent_hub.core.db_routers.ReportReplicaRouter"
SCALE_OUT = ("DATABASE_REPLICA_URL", "STORAGE_S3_")

READ = """
import json
from django.conf import settings
from django.core.files.storage import storages
from django.db import connections
storage = storages["default"]
print(json.dumps({
    "databases": sorted(connections.settings), "routers": settings.DATABASE_ROUTERS,
    "storage": type(storage).__name__,
    "s3": {name: getattr(storage, name, None) for name in (
        "bucket_name", "endpoint_url", "region_name", "addressing_style", "default_acl", "location",
        "file_overwrite", "object_parameters", "querystring_auth")},
}))
"""


def _environment(settings_module: str, **env) -> dict:
    # Not what this process was given for its own sake: the scale-out
    # variables under test, and the browser tests' async-safety switch
    # (set in tests/browser/conftest.py, which the deploy check rightly refuses).
    kept = {key: value for key, value in os.environ.items()
            if not key.startswith(SCALE_OUT) and key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**kept, "DJANGO_SETTINGS_MODULE": settings_module, **env}


def settings_with(settings_module="config.settings.dev", **env) -> dict:
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup()\n{READ}"],  # noqa: S603
                            cwd=ROOT, env=_environment(settings_module, **env), capture_output=True,
                            text=True, check=True, timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


SCALED_OUT = {
    "DATABASE_URL": "postgres://prevent_hub@db.internal:5432/prevent_hub?sslmode=verify-full",
    "DATABASE_REPLICA_URL": "postgres://prevent_hub@db-replica.internal:5432/prevent_hub?sslmode=verify-full",
    "STORAGE_S3_BUCKET": "shireford-prevent-hub-uploads-fictional",
    "STORAGE_S3_REGION": "eu-west-2",
    "STORAGE_S3_ENDPOINT_URL": "https://objects.shireford.example",
    "STORAGE_S3_ADDRESSING_STYLE": "path",
    "STORAGE_S3_PREFIX": "uploads",
    "STORAGE_S3_SERVER_SIDE_ENCRYPTION": "aws:kms",
}


def test_without_the_variables_there_is_one_database_no_router_and_uploads_on_the_file_system():
    found = settings_with()
    assert found["databases"] == ["default"]
    assert found["routers"] == []
    assert found["storage"] == "FileSystemStorage"


def test_the_variables_add_the_replica_and_its_router_and_put_uploads_in_a_private_bucket():
    found = settings_with(**SCALED_OUT)
    assert found["databases"] == ["default", "replica"]
    assert found["routers"] == [ROUTER]
    assert found["storage"] == "S3Storage"
    assert found["s3"] == {
        "bucket_name": "shireford-prevent-hub-uploads-fictional", "endpoint_url": "https://objects.shireford.example",
        "region_name": "eu-west-2", "addressing_style": "path", "default_acl": None, "location": "uploads",
        "file_overwrite": False, "object_parameters": {"ServerSideEncryption": "aws:kms"},
        "querystring_auth": True}


def test_the_test_suite_never_reads_from_a_replica_whatever_the_environment_says():
    found = settings_with("config.settings.test", **SCALED_OUT)
    assert found["databases"] == ["default"]
    assert found["routers"] == []


def test_production_with_a_replica_and_a_bucket_passes_the_deploy_check():
    env = _environment("config.settings.production", SECRET_KEY=secrets.token_urlsafe(64),
                       EMAIL_URL="smtp+tls://fictional:made-up-for-a-test@smtp.shireford.example:587",
                       CLAMD_URL="unix:///run/clamav/clamd.ctl", **SCALED_OUT)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],  # noqa: S603
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
