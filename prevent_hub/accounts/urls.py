from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/set-up-second-factor/", views.second_factor_setup, name="second-factor-setup"),
    path("sign-in/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("sign-in/second-factor/", views.second_factor_verify, name="second-factor"),
    path("sign-in/second-factor/recovery-code/", views.second_factor_recovery,
         name="second-factor-recovery"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(),
         name="password-reset-complete"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    # Staff area: resolved before config.urls includes staff/ (see config/urls.py).
    path("staff/account/", views.account, name="account"),
    path("staff/account/password/", views.password_change, name="password-change"),
    path("staff/account/recovery-codes", views.account_recovery_codes_new,
         name="account-recovery-codes"),
    path("staff/account/sessions/sign-out-others", views.account_sign_out_other_sessions,
         name="account-sign-out-others"),
    path("staff/account/sessions/<str:reference>/sign-out", views.account_session_sign_out,
         name="account-session-sign-out"),
    path("staff/account/keep-alive", views.keep_alive, name="keep-alive"),
]
