"""The second factor: a TOTP app (django-otp) plus single-use recovery codes.

Reads (`has_confirmed_device`, `recovery_codes_remaining`, the QR code and the
secret for display) and the writes of the sign-in journey. Each write is one
transaction with its audit event inside, like accounts.services (which calls
`remove_devices` when an administrator resets a user's second factor).
"""

import enum
import math
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .models import RecoveryCode, RecoveryCodeDevice, normalise_recovery_code, recovery_code_hash

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# A code is accepted only in its own 30-second step (ASVS V6.5.5), not the
# steps either side that django-otp allows by default. A phone whose clock is
# wrong by a step or more fails every time, not now and then: the fix is to set
# its clock to automatic (docs/user-guide). Drift learnt before tolerance was 0
# is kept, so such phones that worked still work.
TOTP_TOLERANCE = 0


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remove_devices(user) -> int:
    """Forget every second factor the user has (authenticator and codes)."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    codes, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + codes


# Reads -----------------------------------------------------------------------


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_device(user) -> RecoveryCodeDevice | None:
    return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_remaining(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def secret_for_display(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here
    (no request leaves the server) with presentation attributes only: the
    Content Security Policy refuses style attributes."""
    qr = segno.make(device.config_url, error="m", micro=False)
    svg = qr.svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code",
        lineclass=None, omitsize=False,
    )
    if "style" in svg:  # pragma: no cover - segno never writes one today
        raise ValueError("QR code SVG must not carry style attributes")
    # An image with a name for screen readers, who use the secret instead.
    svg = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup around a URL it encoded


def recovery_code_for_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


class Method(enum.StrEnum):
    AUTHENTICATOR = "authenticator_app"
    RECOVERY_CODE = "recovery_code"


class Outcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"
    NO_DEVICE = "no_device"


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    device: object = None
    wait_seconds: int = 0


@dataclass(frozen=True)
class Enrolment:
    check: Check
    recovery_codes: list[str] | None = None


# Writes ----------------------------------------------------------------------


@transaction.atomic
def totp_device_for_setup(*, acting_user) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up: reused across
    page loads so the QR code stays the same until they confirm it."""
    device = (TOTPDevice.objects.select_for_update()
              .filter(user=acting_user, confirmed=False).order_by("pk").first())
    if device is None:
        device = TOTPDevice.objects.create(
            user=acting_user, name=TOTP_DEVICE_NAME, confirmed=False, tolerance=TOTP_TOLERANCE)
    return device


class AlreadySetUp(Exception):
    """The user already has a confirmed authenticator."""


@transaction.atomic
def second_factor_enrol(*, acting_user, device: TOTPDevice, token: str) -> Enrolment:
    """Confirm the authenticator with a code from it and issue recovery codes.

    A wrong code (or one sent while django-otp is throttling the device) leaves
    the set-up unconfirmed. On success the caller marks the session verified
    and shows the codes once.
    """
    if has_confirmed_device(acting_user):
        raise AlreadySetUp
    device.refresh_from_db()
    if device.user_id != acting_user.pk or device.confirmed:
        raise ValueError("Not this user's authenticator set-up")
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return Enrolment(Check(Outcome.THROTTLED, wait_seconds=_seconds_until(why.get("locked_until"))))
    if verify_token(acting_user, device.persistent_id, token) is None:
        return Enrolment(Check(Outcome.WRONG))
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Only one authenticator: forget any other half-finished set-up.
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    codes = _recovery_codes_replace(acting_user)
    audit_event_record(
        action=AuditAction.UPDATE, obj=acting_user, actor=acting_user,
        changed_fields=["second_factor"],
        details={"authenticator_set_up": True, "recovery_codes": len(codes)},
    )
    return Enrolment(Check(Outcome.VERIFIED, device=device), recovery_codes=codes)


@transaction.atomic
def recovery_codes_replace(*, acting_user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _recovery_codes_replace(acting_user)
    audit_event_record(
        action=AuditAction.UPDATE, obj=acting_user, actor=acting_user,
        changed_fields=["recovery_codes"], details={"recovery_codes": len(codes)},
    )
    return codes


def _recovery_codes_replace(user) -> list[str]:
    # Keep the device itself: a session verified with a recovery code names
    # it, and must stay verified when its owner gets new codes.
    device = recovery_device(user)
    if device is None:
        device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    device.recovery_codes.all().delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    # Shown to the user once, then only their hashes are kept.
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, code_hash=recovery_code_hash(code))
                                     for code in codes)
    return codes


def second_factor_check(*, acting_user, method: Method, code: str) -> Check:
    """Check a code from the authenticator app or a recovery code.

    django-otp throttles each device (1, 2, 4, 8... seconds after successive
    failures); a throttled attempt is refused without checking the code. A
    recovery code is deleted as it is used. Failures are audited as failed
    sign-ins; successes as sign-ins with the second factor.
    """
    if method == Method.RECOVERY_CODE:
        device = recovery_device(acting_user)
        code = normalise_recovery_code(code)
    else:
        device = confirmed_totp_device(acting_user)
    if device is None:
        return Check(Outcome.NO_DEVICE)

    with transaction.atomic():
        allowed, why = device.verify_is_allowed()
        verified = verify_token(acting_user, device.persistent_id, code) if allowed else None
        details = {"second_factor": True}
        if method == Method.RECOVERY_CODE:
            details["recovery_code"] = True
        if verified is not None:
            audit_event_record(
                action=AuditAction.SIGN_IN, obj=acting_user, actor=acting_user,
                details={"second_factor": True, "method": str(method)},
            )
            return Check(Outcome.VERIFIED, device=verified)
        if not allowed:
            details["throttled"] = True
        audit_event_record(
            action=AuditAction.SIGN_IN_FAILED, obj=acting_user, actor=acting_user, details=details,
        )
    if not allowed:
        return Check(Outcome.THROTTLED, wait_seconds=_seconds_until((why or {}).get("locked_until")))
    return Check(Outcome.WRONG)


def _seconds_until(moment) -> int:
    if moment is None:
        return 1
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def format_wait(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"

