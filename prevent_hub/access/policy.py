"""The permission matrix: every action and the roles that may take it.

Add an action here before the view that needs it; a URL whose view declares
no action is refused to everyone. `manage.py access_matrix --write` regenerates
docs/access.md from this file.
"""

from enum import StrEnum

from prevent_hub.accounts.roles import Role


class Action(StrEnum):
    # Everyone with a staff account.
    STAFF_HOME = "staff.home"
    OWN_ACCOUNT = "account.own"
    # Audit.
    AUDIT_SEARCH = "audit.search"
    AUDIT_EXPORT = "audit.export"
    RECORD_ACCESS_LOG = "audit.record_access_log"
    # Administration.
    USERS_MANAGE = "accounts.users.manage"
    ORGANISATIONS_MANAGE = "accounts.organisations.manage"
    DIRECTORY_MANAGE = "directory.manage"
    DJANGO_ADMIN = "admin.django_admin"
    API_TOKENS_MANAGE = "api.tokens.manage"
    # Referrals and triage.
    REFERRAL_SUBMIT = "referrals.submit"
    REFERRAL_QUEUE = "referrals.queue"
    REFERRAL_VIEW = "referrals.view"
    REFERRAL_EXPORT = "referrals.export"
    REFERRAL_SHARE_WITH_POLICE = "referrals.share_with_police"
    REFERRAL_GATEWAY_OUTCOME = "referrals.gateway_outcome"
    PERSON_MATCH = "people.match"
    PERSON_VIEW = "people.view"
    # Channel.
    CASE_VIEW = "channel.case.view"


DESCRIPTIONS: dict[Action, str] = {
    Action.STAFF_HOME: "Use the staff area (home page, navigation)",
    Action.OWN_ACCOUNT: "Manage own account: second factor, recovery codes, sessions",
    Action.AUDIT_SEARCH: "Search the audit trail",
    Action.AUDIT_EXPORT: "Export audit events as CSV",
    Action.RECORD_ACCESS_LOG: "See who has accessed a record they can see",
    Action.USERS_MANAGE: "Create, edit, deactivate users; assign roles; reset second factors",
    Action.ORGANISATIONS_MANAGE: "Create and edit organisations",
    Action.DIRECTORY_MANAGE: "Edit the public contact directory",
    Action.DJANGO_ADMIN: "Use Django admin (also needs a verified second factor)",
    Action.API_TOKENS_MANAGE: "See and revoke partner API tokens",
    Action.REFERRAL_SUBMIT: "Make a Prevent referral and keep drafts under their own account",
    Action.REFERRAL_QUEUE: "See the triage queue (police: only referrals shared with them)",
    Action.REFERRAL_VIEW: "Read a referral (police: only referrals shared with them)",
    Action.REFERRAL_EXPORT: "Download the triage queue as a spreadsheet (CSV)",
    Action.REFERRAL_SHARE_WITH_POLICE: "Record that a referral was shared with counter-terrorism police",
    Action.REFERRAL_GATEWAY_OUTCOME: "Record the police gateway outcome of a shared referral",
    Action.PERSON_MATCH: "Confirm or reject repeat-referral matches; record a new person",
    Action.PERSON_VIEW: "See a person's record and every referral about them",
    Action.CASE_VIEW: "See Channel cases",
}

# Actions open to every signed-in user, whatever their roles (a new user with
# no roles yet must still be able to set up a second factor and sign out).
ANY_SIGNED_IN_USER: frozenset[Action] = frozenset(
    {Action.STAFF_HOME, Action.OWN_ACCOUNT, Action.REFERRAL_SUBMIT}
)

ROLE_MATRIX: dict[Action, frozenset[str]] = {
    Action.AUDIT_SEARCH: frozenset({Role.AUDITOR}),
    Action.AUDIT_EXPORT: frozenset({Role.AUDITOR}),
    Action.RECORD_ACCESS_LOG: frozenset({Role.AUDITOR, Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR}),
    Action.USERS_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.ORGANISATIONS_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.DIRECTORY_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.DJANGO_ADMIN: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.API_TOKENS_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.REFERRAL_QUEUE: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.REFERRAL_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.REFERRAL_EXPORT: frozenset({Role.PREVENT_COORDINATOR}),
    Action.REFERRAL_SHARE_WITH_POLICE: frozenset({Role.PREVENT_COORDINATOR}),
    Action.REFERRAL_GATEWAY_OUTCOME: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.PERSON_MATCH: frozenset({Role.PREVENT_COORDINATOR}),
    Action.PERSON_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.CASE_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER}),
}

# Rules about a particular record, on top of the role (see access.checks).
# Police practitioners work on referrals once the council has shared them.
POLICE_NEED_SHARED_REFERRAL = frozenset(
    {Action.REFERRAL_VIEW, Action.REFERRAL_GATEWAY_OUTCOME}
)
