from django.urls import path

from . import retention, vaf, views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    # Users
    path("users/", views.user_list, name="users"),
    path("users/export.csv", views.user_export, name="users-export"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/details/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/roles/", views.user_roles, name="user-roles"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/second-factor/reset/", views.user_second_factor_reset,
         name="user-reset-second-factor"),
    path("users/<int:pk>/sessions/end/", views.user_sessions_end, name="user-sessions-end"),
    path("sessions/end-all/", views.sessions_end_all, name="sessions-end-all"),
    path("users/<int:pk>/set-password-email/", views.user_send_set_password_email,
         name="user-send-set-password-email"),
    # Organisations
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation-edit"),
    # Contact directory
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/mark-checked/", views.contact_mark_checked,
         name="contact-mark-checked"),
    # Routing rules for "Get help"
    path("routing-rules/", views.routing_rule_list, name="routing-rules"),
    path("routing-rules/new/", views.routing_rule_create, name="routing-rule-create"),
    path("routing-rules/<int:pk>/", views.routing_rule_edit, name="routing-rule-edit"),
    # Vulnerability Assessment Framework wording
    path("vaf/", vaf.vaf_framework, name="vaf"),
    path("vaf/change/", vaf.vaf_framework_edit, name="vaf-edit"),
    path("vaf/versions/<int:version>/", vaf.vaf_framework_version, name="vaf-version"),
    # Retention schedule
    path("retention/", retention.retention_policies, name="retention"),
    path("retention/<slug:record_type>/", retention.retention_policy_history, name="retention-history"),
    path("retention/<slug:record_type>/change/", retention.retention_policy_edit, name="retention-edit"),
]
