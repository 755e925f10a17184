from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from prevent_hub.access import Action, requires
from prevent_hub.audit.services import audit_refusal
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.core.formatting import govuk_time

from . import lockout, passwords, second_factor, selectors
from .demo import DEMO_DOMAIN
from .emails import send_password_reset_email
from .forms import (
    ChangePasswordForm,
    CurrentCodeForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RecoveryCodeForm,
    SecurityCodeForm,
    SignInForm,
)
from .second_factor import Method, Outcome
from .services import user_session_end, user_sign_out_everywhere

# Recovery codes wait here between being made and being shown, once.
RECOVERY_CODES_SESSION_KEY = "accounts_recovery_codes_to_show"


def _next_url(request) -> str:
    """Where to go after this step: the `next` the user came with, if it is a
    path on this site; otherwise the staff home page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + "?" + urlencode({"next": next_url})


def demo_note_shown() -> bool:
    """The sign-in page mentions the demo accounts' shortcut only when it is real."""
    return bool(settings.DEMO_MODE)


# Password ---------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            demo_note=demo_note_shown(), demo_domain=DEMO_DOMAIN, **kwargs
        )


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, response=None, credentials=None):
    """Shown instead of the sign-in page while an account is locked (axes)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = lockout.lockout_username(request, credentials)
    return render(request, "accounts/locked_out.html", {
        "minutes": minutes,
        "unlocks_at": govuk_time(lockout.lockout_ends(username)),
    }, status=429)


# Second factor -------------------------------------------------------------------


def _code_error(check, *, recovery=False) -> str:
    if check.outcome is Outcome.THROTTLED:
        wait = second_factor.format_wait(check.wait_seconds)
        return f"You have entered a wrong code too many times. Wait {wait}, then try again"
    if check.outcome is Outcome.NO_DEVICE:
        return ("You have no recovery codes left. Ask your system administrator "
                "to reset your second factor")
    if recovery:
        return "The recovery code is not correct or has already been used"
    return "The security code is not correct. Enter the latest code from your authenticator app"


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then
    prove it works with a code from it."""
    next_url = _next_url(request)
    user = request.user
    if second_factor.has_confirmed_device(user):
        if user.is_verified():
            return redirect(next_url)
        return redirect(_with_next("accounts:second-factor", next_url))
    device = second_factor.totp_device_for_setup(acting_user=user)
    form = SecurityCodeForm(request.POST or None, label="Enter the 6-digit code from your app")
    if request.method == "POST" and form.is_valid():
        try:
            result = second_factor.second_factor_enrol(
                acting_user=user, device=device, token=form.cleaned_data["code"]
            )
        except second_factor.AlreadySetUp:
            return redirect(_with_next("accounts:second-factor", next_url))
        if result.check.outcome is Outcome.VERIFIED:
            otp_login(request, result.check.device)
            request.session[RECOVERY_CODES_SESSION_KEY] = result.recovery_codes
            return redirect(_with_next("accounts:recovery-codes", next_url))
        form.add_error("code", _code_error(result.check))
    return render(request, "accounts/second_factor_setup.html", {
        "form": form,
        "next": next_url,
        "qr_code": second_factor.qr_code_svg(device),
        "secret": second_factor.secret_for_display(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    })


@never_cache
@require_GET
def recovery_codes(request):
    """The recovery codes just made, shown this once and never again."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    next_url = _next_url(request)
    if not codes:
        return redirect(next_url)
    return render(request, "accounts/recovery_codes.html", {
        "codes": [second_factor.recovery_code_for_display(code) for code in codes],
        "next": next_url,
    })


def _verify(request, *, method, form, template, context):
    next_url = _next_url(request)
    user = request.user
    if user.is_verified():
        return redirect(next_url)
    if not second_factor.has_confirmed_device(user):
        return redirect(_with_next("accounts:second-factor-setup", next_url))
    if request.method == "POST" and form.is_valid():
        check = second_factor.second_factor_check(
            acting_user=user, method=method, code=form.cleaned_data["code"]
        )
        if check.outcome is Outcome.VERIFIED:
            otp_login(request, check.device)
            if method == Method.RECOVERY_CODE:
                _recovery_codes_left_message(request)
            return redirect(next_url)
        form.add_error("code", _code_error(check, recovery=method == Method.RECOVERY_CODE))
    return render(request, template, {"form": form, "next": next_url, **context})


def _recovery_codes_left_message(request):
    left = second_factor.recovery_codes_remaining(request.user)
    text = f"You have {left} recovery code{'s' if left != 1 else ''} left."
    if left <= 3:
        text += " Get new recovery codes from your account page."
    messages.info(request, text)


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    form = SecurityCodeForm(
        request.POST or None, label="Enter the security code from your authenticator app",
        page_heading=True,
    )
    return _verify(request, method=Method.AUTHENTICATOR, form=form,
                   template="accounts/second_factor.html", context={})


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_recovery(request):
    form = RecoveryCodeForm(request.POST or None)
    return _verify(request, method=Method.RECOVERY_CODE, form=form,
                   template="accounts/second_factor_recovery.html", context={})


# Your account (staff area) ----------------------------------------------------------


@requires(Action.OWN_ACCOUNT)
@require_GET
@shows_nothing_personal("the signed-in user's own account")
def account(request):
    return render(request, "accounts/account.html", {
        **selectors.own_account(request.user, current_session_key=request.session.session_key),
        "recovery_codes_url": reverse("accounts:account-recovery-codes"),
        "sign_out_others_url": reverse("accounts:account-sign-out-others"),
    })


@requires(Action.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the signed-in user's own account")
def password_change(request):
    """Change your password while signed in: current password and a code from
    your authenticator app, then the new one twice."""
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = passwords.user_password_change(
            acting_user=request.user, new_password=form.cleaned_data["new_password1"],
            current_session_key=request.session.session_key)
        # Keep this session signed in under the new password hash.
        update_session_auth_hash(request, request.user)
        others = f" You have been signed out everywhere else ({ended})." if ended else ""
        messages.success(request, "Your password has been changed. We have emailed you to say so." + others)
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@requires(Action.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the signed-in user's own account")
def account_recovery_codes_new(request):
    """New recovery codes, after a code from the authenticator app (ASVS V7.5.1)."""
    form = CurrentCodeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        codes = second_factor.recovery_codes_replace(acting_user=request.user)
        request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return redirect(_with_next("accounts:recovery-codes", reverse("accounts:account")))
    return render(request, "accounts/confirm_with_code.html", {
        "form": form, "title": "Get new recovery codes",
        "action": reverse("accounts:account-recovery-codes"),
        "explanation": ["Your old recovery codes will stop working. We will show you the new ones once."],
        "button": "Get new recovery codes",
    })


@requires(Action.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the signed-in user's own account")
def account_sign_out_other_sessions(request):
    """End every session but this one, after a code from the app (ASVS V7.5.2)."""
    form = CurrentCodeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        ended = user_sign_out_everywhere(
            acting_user=request.user, current_session_key=request.session.session_key
        )
        if ended:
            messages.success(request, f"You have signed out of {ended} other "
                                      f"session{'s' if ended != 1 else ''}.")
        else:
            messages.success(request, "You were not signed in anywhere else.")
        return redirect("accounts:account")
    return render(request, "accounts/confirm_with_code.html", {
        "form": form, "title": "Sign out of all other sessions",
        "action": reverse("accounts:account-sign-out-others"),
        "explanation": ["You will stay signed in here. Anything not yet saved in the other "
                        "sessions will be lost."],
        "button": "Sign out of all other sessions",
    })


@requires(Action.OWN_ACCOUNT)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("one of the signed-in user's own sessions")
def account_session_sign_out(request, reference):
    """End one other session of yours, after a code from the app (ASVS V7.5.2).
    The page names it by a reference, never by its key (the key is what
    signs a browser in)."""
    session_key = selectors.own_session_key(request.user, reference)
    if session_key is None:
        # Not a session of yours now (ended, or someone else's): a refused
        # look-up like any other record that is not there for you.
        audit_refusal(status=404, object_type="sessions.session", object_id=reference[:64])
        raise Http404("No such session of yours")
    if session_key == request.session.session_key:
        messages.info(request, "To end this session, sign out.")
        return redirect("accounts:account")
    row = selectors.own_session_row(request.user, session_key)
    form = CurrentCodeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        if user_session_end(acting_user=request.user, session_key=session_key):
            messages.success(request, f"You have signed out of {row.browser} ({row.ip_address}).")
        return redirect("accounts:account")
    return render(request, "accounts/confirm_with_code.html", {
        "form": form, "title": "Sign out of this session",
        "action": reverse("accounts:account-session-sign-out", args=[reference]),
        "explanation": [f"{row.browser}, IP address {row.ip_address}, signed in {row.started}.",
                        "Anything not yet saved in that session will be lost."],
        "button": "Sign out of this session",
    })


@requires(Action.OWN_ACCOUNT)
@require_POST
@shows_nothing_personal("a session keep-alive with no content")
def keep_alive(request):
    """'Stay signed in' from the timeout warning: the request itself renews the
    session (SESSION_SAVE_EVERY_REQUEST); say how long the new lease is."""
    request.session.modified = True
    return JsonResponse({"timeoutSeconds": settings.SESSION_COOKIE_AGE})


@login_not_required
@require_GET
def signed_out(request):
    return render(request, "accounts/signed_out.html", {
        "timed_out": request.GET.get("reason") == "timeout",
        "idle_timeout": selectors.idle_timeout_description(),
        "sign_in_url": reverse("accounts:sign-in"),
    })


# Password reset -------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link. Whatever was typed, the next page is the same."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        for user in form.get_users(form.cleaned_data["email"]):
            send_password_reset_email(user, self.request)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(expiry_minutes=settings.PASSWORD_RESET_TIMEOUT // 60, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A deactivated account's old link does nothing.
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs):
        # The first link a new account gets (it has no password yet) speaks
        # to someone setting up, not to someone who forgot theirs.
        user = getattr(self, "user", None)
        new_account = user is not None and not user.has_usable_password()
        return super().get_context_data(new_account=new_account, service_name=settings.SERVICE_NAME,
                                         **kwargs)

    def form_valid(self, form):
        passwords.user_password_set_from_link(
            acting_user=self.user, new_password=form.cleaned_data["new_password1"]
        )
        # Every session of the account has ended, perhaps this one too: start
        # afresh rather than write to a session that is no longer there.
        self.request.session.flush()
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
