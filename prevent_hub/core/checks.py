"""System checks (`manage.py check`) for what the core keeps as data."""

import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register()
def bank_holidays_ahead(app_configs=None, **kwargs):
    from .bank_holidays import bank_holidays_warning

    try:
        problem = bank_holidays_warning()
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    if not problem:
        return []
    return [Warning(problem, hint="Run `manage.py refresh_bank_holidays` (it also runs every month).",
                    id="core.W001")]


@register(Tags.security, deploy=True)
def secrets_files_private(app_configs=None, **kwargs):
    """The env file and the encryption key file readable by their owner (root)
    and group (prevent-hub) only: ASVS V13.3.2, docs/deployment.md section 24."""
    paths = [settings.SECRETS_ENV_FILE, getattr(settings, "ENCRYPTION_KEY_FILE", "")]
    warnings = []
    for path in filter(None, paths):
        try:
            mode = Path(path).stat().st_mode
        except OSError:
            continue  # not there (secrets come from elsewhere) or not ours to see
        if mode & (stat.S_IRWXO | stat.S_IWGRP):
            warnings.append(Warning(
                f"{path} holds secrets but has mode {stat.filemode(mode)}: other accounts on this "
                "machine can read or change it.",
                hint=f"chown root:prevent-hub {path} && chmod 0640 {path}", id="core.W002"))
    return warnings


@register(Tags.security, deploy=True)
def uploads_scanned(app_configs=None, **kwargs):
    """Uploads are scanned for malware only when clamd is configured: ASVS
    V5.4.3, docs/deployment.md "Virus scanning of uploads"."""
    if settings.CLAMD_URL:
        return []
    return [Warning(
        "CLAMD_URL is not set: uploaded files are not scanned for viruses.",
        hint="Install clamav-daemon and set CLAMD_URL=unix:///run/clamav/clamd.ctl", id="core.W003")]
