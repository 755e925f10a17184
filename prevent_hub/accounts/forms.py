import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from prevent_hub.core.email_addresses import canonical_email, plain_email_problem

from . import second_factor


class CanonicalEmailField(forms.EmailField):
    """An email address as sign-in compares it (core.email_addresses): the
    canonical form, before it is validated or looked up."""

    def to_python(self, value):
        return canonical_email(super().to_python(value))


class NewAccountEmailField(CanonicalEmailField):
    """The address of a new or changed account: canonical, and plain ASCII,
    so no two accounts' addresses can look alike."""

    def validate(self, value):
        if value and (problem := plain_email_problem(value)):
            raise forms.ValidationError(problem, code="not_plain")
        super().validate(value)


class SignInForm(AuthenticationForm):
    username = CanonicalEmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been deactivated. Ask your system administrator.",
    }


class SecurityCodeForm(forms.Form):
    """The 6-digit code from an authenticator app (GOV.UK 'security code' pattern:
    numeric keyboard, one-time-code autofill, spaces and dashes allowed)."""

    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit security code from your authenticator app"},
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
            "autocapitalize": "none",
            "class": "govuk-input--width-5 govuk-input--extra-letter-spacing",
        }),
    )

    def __init__(self, *args, label=None, page_heading=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if label:
            field.label = label
        if page_heading:
            field.widget.attrs["govuk"] = {
                "label": {"classes": "govuk-label--l", "isPageHeading": True},
            }
        else:
            field.widget.attrs["govuk"] = {"label": {"classes": "govuk-label--m"}}

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not code.isdigit() or len(code) != 6:
            raise ValidationError("The security code must be 6 numbers")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Enter a recovery code",
        help_text="One of the 10 codes you were given when you set up your authenticator app, "
                  "for example abcd-2345. Each code works once.",
        max_length=30,
        error_messages={"required": "Enter a recovery code"},
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "none",
            "class": "govuk-input--width-10 govuk-input--extra-letter-spacing",
            "govuk": {"label": {"classes": "govuk-label--l", "isPageHeading": True}},
        }),
    )

    def clean_code(self):
        code = second_factor.normalise_recovery_code(self.cleaned_data["code"])
        if not re.fullmatch(r"[a-z2-7]{8}", code):
            raise ValidationError("Enter a recovery code in the right format, for example abcd-2345")
        return code


class PasswordResetRequestForm(PasswordResetForm):
    """Ask for a reset link. The page says the same whether or not the address
    has an account; the email goes out in the background (emails.py)."""

    email = CanonicalEmailField(
        label="Email address",
        help_text="The address you use to sign in",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def get_users(self, email):
        """Active accounts with this address. Unlike Django's default, this
        includes new accounts that have no password yet, so an invitation
        whose link has expired can be followed by a fresh link."""
        return get_user_model()._default_manager.filter(email=canonical_email(email), is_active=True)


class NewPasswordForm(SetPasswordForm):
    """NCSC guidance: length and a blocklist (settings.AUTH_PASSWORD_VALIDATORS),
    no composition rules. Validation errors go on the first box, where the
    password was typed."""

    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        help_text="Use at least 12 characters. A good way to make a strong password is to "
                  "use 3 random words. Do not use a password you use anywhere else.",
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Confirm new password",
        strip=False,
        error_messages={"required": "Confirm your new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        password1 = self.cleaned_data.get("new_password1")
        password2 = self.cleaned_data.get("new_password2")
        if password1:
            try:
                password_validation.validate_password(password1, self.user)
            except ValidationError as error:
                self.add_error("new_password1", _govuk_password_errors(error))
        if password1 and password2 and password1 != password2 and "new_password1" not in self.errors:
            self.add_error("new_password2", "The passwords do not match")
        return self.cleaned_data

    def save(self, commit=True):
        raise NotImplementedError("Use passwords.user_password_set_from_link: it ends sessions and audits")


def _govuk_password_errors(error: ValidationError) -> ValidationError:
    """Django's validator messages, reworded as GOV.UK error messages."""
    codes = {item.code for item in error.error_list}
    if "password_too_short" in codes:
        return ValidationError("Password must be 12 characters or more", code="password_too_short")
    if "password_too_common" in codes:
        return ValidationError(
            "Password is too easy to guess. Try 3 random words instead", code="password_too_common"
        )
    if "password_too_similar" in codes:
        return ValidationError(
            "Password must not be like your name or email address", code="password_too_similar"
        )
    if "password_entirely_numeric" in codes:
        return ValidationError("Password must not be only numbers", code="password_entirely_numeric")
    return error


class ChangePasswordForm(NewPasswordForm):
    """Changing your password while signed in: your current password and a
    code from your authenticator app first, so a browser left signed in is not
    enough to take the account."""

    field_order = ["current_password", "code", "new_password1", "new_password2"]

    current_password = forms.CharField(
        label="Current password", strip=False,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app now, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit security code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false", "autocapitalize": "none",
                                      "class": "govuk-input--width-5 govuk-input--extra-letter-spacing"}),
    )

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Your current password is not right")
        return password

    def clean_code(self):
        from .second_factor import Method, Outcome, format_wait, second_factor_check

        check = second_factor_check(acting_user=self.user, method=Method.AUTHENTICATOR,
                                    code=self.cleaned_data["code"])
        if check.outcome == Outcome.THROTTLED:
            raise forms.ValidationError(f"Wait {format_wait(check.wait_seconds)} before trying another code")
        if check.outcome != Outcome.VERIFIED:
            raise forms.ValidationError("The security code is not right: enter the code your app shows now")
        return ""


class CurrentCodeForm(forms.Form):
    """A code from your authenticator app, now, before a change to how you sign
    in or where you are signed in (new recovery codes, ending sessions): a
    browser left signed in is not enough. The same field and check as
    changing your password."""

    code = ChangePasswordForm.base_fields["code"]
    clean_code = ChangePasswordForm.clean_code

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].widget.attrs["govuk"] = {"label": {"classes": "govuk-label--m"}}
