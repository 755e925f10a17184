from functools import cached_property

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from prevent_hub.access.roles import Role
from prevent_hub.core.email_addresses import canonical_email


class OrganisationType(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    PROBATION = "probation", "Probation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HOUSING = "housing", "Housing"
    INTERVENTION_PROVIDER = "intervention_provider", "Intervention provider"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A council, police force, school, health trust or other partner whose
    staff use the service. Every user belongs to exactly one."""

    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, choices=OrganisationType.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="accounts_organisation_name_ci_unique"),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # Stored canonical (save/clean), so an exact match: never the
        # database's own case rules, which differ from Python's.
        return self.get(email=canonical_email(email))

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=canonical_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: council staff and partner practitioners.

    Email is the login. Members of the public never have accounts.
    """

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick to deactivate the account instead of deleting it."
    )
    is_staff = models.BooleanField(
        "may use Django admin", default=False,
        help_text="Django admin is for system administrators only.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "organisation"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = canonical_email(self.email)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles, read once per request."""
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_roleassignment_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class Session(AbstractBaseSession):
    """Django's database session, plus who it belongs to, so that signing out
    everywhere and deactivating an account can end every session at once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore

    audit_pending = None

    def save(self, *args, force_update=False, update_fields=None, **kwargs):
        # The session store saves inside its own transaction: the request's
        # audited reads go into the same one (accounts.middleware).
        if self.audit_pending:
            from prevent_hub.audit.services import audit_pending_write

            audit_pending_write(self.audit_pending)
        # The session store rewrites the row on every request; where and when
        # the session started (set once at sign-in) must survive that.
        if force_update and update_fields is None:
            update_fields = ["session_data", "expire_date", "user"]
        super().save(*args, force_update=force_update, update_fields=update_fields, **kwargs)


class RecoveryCode(models.Model):
    """One unused recovery code, stored only as a salted, slow hash (ASVS
    V6.5.2: the codes carry 40 bits, too few for a plain hash to protect them
    if the database leaked). The container is django-otp's StaticDevice, whose
    throttling still applies; second_factor.RecoveryCodeDevice checks codes
    against these rows and deletes the one used."""

    device = models.ForeignKey(
        StaticDevice, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=200)

    def __str__(self):
        return f"Recovery code {self.pk}"


class RecoveryCodeHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256, salted, with fewer rounds than passwords get: each
    sign-in with a recovery code checks up to 10 hashes. The rounds are
    settings.RECOVERY_CODE_HASH_ITERATIONS."""

    @property
    def iterations(self):
        return settings.RECOVERY_CODE_HASH_ITERATIONS


def normalise_recovery_code(typed: str) -> str:
    return "".join(typed.split()).replace("-", "").lower()


def recovery_code_hash(code: str) -> str:
    hasher = RecoveryCodeHasher()
    return hasher.encode(normalise_recovery_code(code), hasher.salt())


class RecoveryCodeDevice(StaticDevice):
    """django-otp's StaticDevice, checking codes against RecoveryCode hashes
    instead of StaticToken's plain text. A proxy, so the rows, their
    throttling and sessions verified before the change stay as they were."""

    class Meta:
        proxy = True

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        typed = normalise_recovery_code(str(token))
        hasher = RecoveryCodeHasher()
        for stored in RecoveryCode.objects.select_for_update().filter(device=self).order_by("pk"):
            if hasher.verify(typed, stored.code_hash):
                stored.delete()  # single use
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
                return True
        self.throttle_increment()
        return False
