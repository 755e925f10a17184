"""The permission matrix: every action and the roles that may take it.

Add an action here before the view that needs it; a URL whose view declares
no action is refused to everyone. `manage.py access_matrix --write` regenerates
docs/access.md from this file.
"""

from enum import StrEnum

from .roles import Role


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
    USER_SESSIONS_END = "accounts.users.sessions_end"
    ALL_SESSIONS_END = "accounts.sessions.end_all"
    ORGANISATIONS_MANAGE = "accounts.organisations.manage"
    DIRECTORY_MANAGE = "directory.manage"
    DJANGO_ADMIN = "admin.django_admin"
    API_TOKENS_MANAGE = "api.tokens.manage"
    # Referrals and triage.
    REFERRAL_SUBMIT = "referrals.submit"
    REFERRAL_QUEUE = "referrals.queue"
    REFERRAL_VIEW = "referrals.view"
    REFERRAL_EXPORT = "referrals.export"
    REFERRAL_DOWNLOAD = "referrals.download"
    REFERRAL_SHARE_WITH_POLICE = "referrals.share_with_police"
    REFERRAL_GATEWAY_OUTCOME = "referrals.gateway_outcome"
    PERSON_MATCH = "people.match"
    PERSON_VIEW = "people.view"
    PERSON_SEARCH = "people.search"
    PERSON_EDIT = "people.edit"
    PERSON_MERGE = "people.merge"
    # Channel.
    CASE_VIEW = "channel.case.view"
    CASE_EXPORT = "channel.case.export"
    CASE_MANAGE = "channel.case.manage"
    CASE_CHRONOLOGY = "channel.case.chronology"
    CASE_NOTE_ADD = "channel.case.note"
    CONSENT_RECORD = "channel.consent.record"
    VAF_ASSESS = "channel.vaf.assess"
    SUPPORT_PLAN_MANAGE = "channel.support_plan.manage"
    SUPPORT_ACTIONS_ALL = "channel.support_plan.actions_all"
    PLAN_ACTION_COMPLETE = "channel.support_plan.action_done"
    SESSION_RECORD = "channel.session.record"
    CASE_TRANSFER = "channel.case.transfer"
    CASE_DASHBOARD = "channel.dashboard"
    MY_TASKS = "channel.my_tasks"
    VAF_FRAMEWORK_MANAGE = "channel.vaf.framework"
    # Channel panels.
    PANEL_VIEW = "panels.view"
    PANEL_MANAGE = "panels.manage"
    PANEL_MINUTES_APPROVE = "panels.minutes.approve"
    PANEL_DECIDE_OUTSIDE_MEETING = "panels.decide_outside_meeting"
    # Records management and data protection rights.
    RETENTION_POLICY_MANAGE = "retention.policies.manage"
    RETENTION_RUNS_VIEW = "records.retention_runs.view"
    LEGAL_HOLD_MANAGE = "records.legal_holds.manage"
    RIGHTS_REQUEST_MANAGE = "rights.requests.manage"
    SUBJECT_ACCESS_PREPARE = "rights.subject_access.prepare"
    SUBJECT_ACCESS_APPROVE = "rights.subject_access.approve"
    # Venue hire due diligence.
    VENUE_MANAGE = "venues.manage"
    VENUE_BOOKING_VIEW = "venues.bookings.view"
    VENUE_BOOKING_CHECK = "venues.bookings.check"
    VENUE_BOOKING_ADVISE = "venues.bookings.advise"
    VENUE_BOOKING_DECIDE = "venues.bookings.decide"
    VENUE_APPEAL_DECIDE = "venues.appeals.decide"
    VENUE_BOOKING_CANCEL = "venues.bookings.cancel"
    VENUE_BOOKING_EXPORT = "venues.bookings.export"
    # Complaints about how Prevent was applied.
    COMPLAINT_VIEW = "complaints.view"
    COMPLAINT_RECORD = "complaints.record"
    COMPLAINT_TRIAGE = "complaints.triage"
    COMPLAINT_INVESTIGATE = "complaints.investigate"
    COMPLAINT_RESPOND = "complaints.respond"
    COMPLAINT_LETTERS_MANAGE = "complaints.letters.manage"
    COMPLAINT_EXPORT = "complaints.export"
    # Training records and Prevent duty assurance.
    TRAINING_OWN_RECORD = "training.own"
    TRAINING_VIEW = "training.view"
    TRAINING_RECORD = "training.record"
    TRAINING_IMPORT = "training.import"
    TRAINING_COURSES_MANAGE = "training.courses.manage"
    TRAINING_EXPORT = "training.export"
    ASSURANCE_VIEW = "assurance.view"
    # Statistics and reporting.
    REFERRAL_REPORTING_DETAILS = "referrals.reporting_details"
    REFERRALS_IMPORT = "referrals.import"
    STATISTICS_VIEW = "statistics.view"
    STATISTICS_EXPORT = "statistics.export"
    EQUALITY_MONITORING_VIEW = "statistics.equality"
    POPULATION_MANAGE = "statistics.population.manage"


# What each role is for, in a line: shown beside each role where accounts are
# made and in docs/access.md, with what each may do generated from ROLE_MATRIX.
ROLE_SUMMARIES: dict[Role, str] = {
    Role.PREVENT_COORDINATOR: "Runs the council's Prevent work: triage, people, Channel cases and panels",
    Role.CHANNEL_CHAIR: "Chairs the Channel panel: runs meetings, records and approves decisions",
    Role.POLICE_PRACTITIONER: ("Counter-terrorism police: referrals shared with police, the gateway "
                               "outcome, Channel cases"),
    Role.PANEL_MEMBER: "A Channel panel member: cases on their team or on a meeting's agenda",
    Role.INTERVENTION_PROVIDER: "Delivers support: only the cases and actions they are given",
    Role.VENUE_BOOKING_OFFICER: "Checks bookings of council venues (no access to cases)",
    Role.COMPLAINTS_OFFICER: "Handles complaints about how Prevent was applied (no access to cases)",
    Role.INVESTIGATING_OFFICER: ("Investigates the complaints they are given: notes, documents and findings "
                                 "(no access to cases, nor to other complaints)"),
    Role.TRAINING_ADMINISTRATOR: ("Keeps everyone's training records: courses, completions, imports and "
                                  "compliance (no access to cases)"),
    Role.TRAINING_LEAD: ("A partner organisation's lead (a school's designated safeguarding lead, say): "
                         "sees and keeps the training records of their own organisation only"),
    Role.DATA_PROTECTION_OFFICER: ("Answers people's data protection rights requests: finds everything "
                                   "held about a person for a subject access request, holds and erases"),
    Role.AUDITOR: "Searches and exports the audit trail; sees no case records",
    Role.SYSTEM_ADMINISTRATOR: "Manages accounts, organisations and reference data; sees no case records",
}


def role_may(role: Role) -> list[str]:
    """What `role` may do, in the policy's words (everything signed-in users
    may do is left out)."""
    return [DESCRIPTIONS[action] for action in Action
            if action not in ANY_SIGNED_IN_USER and role in ROLE_MATRIX[action]]


DESCRIPTIONS: dict[Action, str] = {
    Action.STAFF_HOME: "Use the staff area (home page, navigation)",
    Action.OWN_ACCOUNT: "Manage own account: second factor, recovery codes, sessions",
    Action.AUDIT_SEARCH: "Search the audit trail",
    Action.AUDIT_EXPORT: "Export audit events as CSV",
    Action.RECORD_ACCESS_LOG: "See who has accessed a record they can see",
    Action.USERS_MANAGE: "Create, edit, deactivate users; assign roles; reset second factors",
    Action.USER_SESSIONS_END: "Sign one user out everywhere, without deactivating them",
    Action.ALL_SESSIONS_END: "Sign everyone out everywhere (for example after a security incident)",
    Action.ORGANISATIONS_MANAGE: "Create and edit organisations",
    Action.DIRECTORY_MANAGE: "Edit the public contact directory",
    Action.DJANGO_ADMIN: "Use Django admin (also needs a verified second factor)",
    Action.API_TOKENS_MANAGE: "See and revoke partner API tokens",
    Action.REFERRAL_SUBMIT: "Make a Prevent referral and keep drafts under their own account",
    Action.REFERRAL_QUEUE: "See the triage queue (police: only referrals shared with them)",
    Action.REFERRAL_VIEW: "Read a referral (police: only referrals shared with them)",
    Action.REFERRAL_EXPORT: "Download the triage queue as a spreadsheet (CSV)",
    Action.REFERRAL_DOWNLOAD: ("Download a referral as a PDF to send to counter-terrorism police through the "
                               "secure route"),
    Action.REFERRAL_SHARE_WITH_POLICE: "Record that a referral was shared with counter-terrorism police",
    Action.REFERRAL_GATEWAY_OUTCOME: "Record the police gateway outcome of a shared referral",
    Action.PERSON_MATCH: "Confirm or reject repeat-referral matches; record a new person",
    Action.PERSON_VIEW: ("See a person's record and every referral about them (police: only people with a "
                         "referral shared with them)"),
    Action.PERSON_SEARCH: ("Search for people by name (any spelling), date of birth, postcode or reference "
                           "(police: only people with a referral shared with them, matched only on what "
                           "those referrals say)"),
    Action.PERSON_EDIT: "Correct a person record's details (the history of changes is kept)",
    Action.PERSON_MERGE: ("Merge two records of one person and undo a merge; record that two records are "
                          "not the same person"),
    Action.CASE_VIEW: ("See Channel cases (panel members and intervention providers: only cases whose "
                       "team they are on; providers only the parts they need)"),
    Action.CASE_EXPORT: "Download the Channel case list as a spreadsheet (CSV)",
    Action.CASE_MANAGE: ("Move a case through its lifecycle, manage its team and information requests, "
                         "close it"),
    Action.CASE_CHRONOLOGY: "Read a case's or person's whole timeline, information requests and assessments",
    Action.CASE_NOTE_ADD: "Add notes and addenda to a case they can see",
    Action.CONSENT_RECORD: "Record consent requests, answers and withdrawals",
    Action.VAF_ASSESS: "Write Vulnerability Assessment Framework assessments",
    Action.SUPPORT_PLAN_MANAGE: "Write the support plan, its providers and actions",
    Action.SUPPORT_ACTIONS_ALL: ("See every action of a support plan (intervention providers see only "
                                 "the actions they own)"),
    Action.PLAN_ACTION_COMPLETE: ("Mark an action done, with a note (their own actions; whoever manages the "
                                  "plan: any action)"),
    Action.SESSION_RECORD: "Record support sessions (providers: on cases they are assigned to)",
    Action.CASE_TRANSFER: "Transfer a case to another council's panel and export its bundle",
    Action.CASE_DASHBOARD: "See the coordinator dashboard of what is due or overdue",
    Action.MY_TASKS: "See their own tasks (actions, reviews, sessions to record)",
    Action.VAF_FRAMEWORK_MANAGE: "Publish new wording of the Vulnerability Assessment Framework",
    Action.PANEL_VIEW: ("See Channel panel meetings, their agenda packs and minutes (police and panel "
                        "members: only meetings they are invited to, and only the items they may see)"),
    Action.PANEL_MANAGE: ("Set up panels, schedule meetings, build agendas, invite people, record "
                          "attendance, decisions and draft minutes"),
    Action.PANEL_MINUTES_APPROVE: "Approve a meeting's minutes, which locks them",
    Action.PANEL_DECIDE_OUTSIDE_MEETING: ("Take a panel decision outside a meeting (written procedure or "
                                          "urgent), as the panel's chair or a deputy chair, after "
                                          "consulting members; the next meeting reviews it"),
    Action.RETENTION_POLICY_MANAGE: "Change how long each kind of record is kept (a new version from a date)",
    Action.RETENTION_RUNS_VIEW: "See each retention run's report: what was deleted or held, by reference",
    Action.LEGAL_HOLD_MANAGE: ("Hold a referral, case, person or learner's training record from deletion "
                               "(complaint, subject access request, investigation, litigation) and lift the "
                               "hold"),
    Action.RIGHTS_REQUEST_MANAGE: ("Log and decide data protection rights requests: access, rectification, "
                                   "erasure, restriction"),
    Action.SUBJECT_ACCESS_PREPARE: ("Find everything held about a person for a subject access request and "
                                    "redact it, with a reason per redaction"),
    Action.SUBJECT_ACCESS_APPROVE: ("Approve and release a subject access bundle someone else prepared"),
    Action.VENUE_MANAGE: ("Manage council venues, rooms, opening hours and closures, the booking "
                          "conditions and the wording of letters to bookers"),
    Action.VENUE_BOOKING_VIEW: "See venue booking requests, their checks and decisions, and venue calendars",
    Action.VENUE_BOOKING_CHECK: ("Work through a booking's checklist with notes and evidence, escalate it to "
                                 "the Prevent lead and send letters to the booker"),
    Action.VENUE_BOOKING_ADVISE: "Give the Prevent lead's advice on a booking escalated to them",
    Action.VENUE_BOOKING_DECIDE: "Decide a booking: approve, approve with conditions or refuse, with reasons",
    Action.VENUE_APPEAL_DECIDE: ("Decide a booker's appeal (never an appeal against their own decision)"),
    Action.VENUE_BOOKING_CANCEL: "Cancel a booking on the council's behalf, with reasons",
    Action.VENUE_BOOKING_EXPORT: "Download venue bookings as a spreadsheet (CSV)",
    Action.COMPLAINT_VIEW: ("See complaints, their deadlines, investigation and letters (investigating "
                            "officers: only the complaints they investigate)"),
    Action.COMPLAINT_RECORD: "Record a complaint received by letter, email, telephone or in person",
    Action.COMPLAINT_TRIAGE: ("Triage a complaint: its scope, the record it concerns, consent, passing it "
                              "on, the investigating officer, extensions and letters"),
    Action.COMPLAINT_INVESTIGATE: ("Investigate a complaint: notes, documents, findings on each point, "
                                   "remedy and lessons (investigating officers: only their own complaints)"),
    Action.COMPLAINT_RESPOND: "Send the response to a complaint and close it",
    Action.COMPLAINT_LETTERS_MANAGE: "Edit the wording of letters to complainants",
    Action.COMPLAINT_EXPORT: "Download complaints and the quarterly counts as a spreadsheet (CSV)",
    Action.TRAINING_OWN_RECORD: "See their own training record and record the courses they complete",
    Action.TRAINING_VIEW: ("See learners, their training and compliance (organisations' training leads: "
                           "their own organisation only)"),
    Action.TRAINING_RECORD: ("Add learners and record anyone's training, with evidence (organisations' "
                             "training leads: their own organisation only)"),
    Action.TRAINING_IMPORT: "Import training completions from a spreadsheet (CSV)",
    Action.TRAINING_COURSES_MANAGE: "Keep the list of courses, their prerequisites and refresh periods",
    Action.TRAINING_EXPORT: ("Download training compliance as a spreadsheet (CSV or Excel; organisations' "
                             "training leads: their own organisation only)"),
    Action.ASSURANCE_VIEW: ("See and download the Prevent duty assurance summary for a financial year "
                            "(figures only)"),
    Action.REFERRAL_REPORTING_DETAILS: ("Record a referral's reporting details: sector, type of concern, "
                                        "gender, ethnicity, age and mental health or neurodiversity"),
    Action.REFERRALS_IMPORT: "Import referrals from the council's earlier records (CSV)",
    Action.STATISTICS_VIEW: "See the Prevent statistics (counts only, small numbers suppressed)",
    Action.STATISTICS_EXPORT: "Download the Prevent statistics as a spreadsheet (CSV, Excel or ODS)",
    Action.EQUALITY_MONITORING_VIEW: ("See referral rates per 10,000 people by ethnicity, sex and age band "
                                      "(aggregates only, small numbers suppressed)"),
    Action.POPULATION_MANAGE: "Load the area's population figures used for equality monitoring",
}

# Actions open to every signed-in user, whatever their roles (a new user with
# no roles yet must still be able to set up a second factor and sign out).
ANY_SIGNED_IN_USER: frozenset[Action] = frozenset(
    {Action.STAFF_HOME, Action.OWN_ACCOUNT, Action.REFERRAL_SUBMIT, Action.MY_TASKS,
     Action.TRAINING_OWN_RECORD}
)

ROLE_MATRIX: dict[Action, frozenset[str]] = {
    Action.AUDIT_SEARCH: frozenset({Role.AUDITOR}),
    Action.AUDIT_EXPORT: frozenset({Role.AUDITOR}),
    Action.RECORD_ACCESS_LOG: frozenset({Role.AUDITOR, Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR}),
    Action.USERS_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.USER_SESSIONS_END: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.ALL_SESSIONS_END: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.ORGANISATIONS_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.DIRECTORY_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.DJANGO_ADMIN: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.API_TOKENS_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.REFERRAL_QUEUE: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.REFERRAL_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.REFERRAL_EXPORT: frozenset({Role.PREVENT_COORDINATOR}),
    Action.REFERRAL_DOWNLOAD: frozenset({Role.PREVENT_COORDINATOR}),
    Action.REFERRAL_SHARE_WITH_POLICE: frozenset({Role.PREVENT_COORDINATOR}),
    Action.REFERRAL_GATEWAY_OUTCOME: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.PERSON_MATCH: frozenset({Role.PREVENT_COORDINATOR}),
    Action.PERSON_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.PERSON_SEARCH: frozenset({Role.PREVENT_COORDINATOR, Role.POLICE_PRACTITIONER}),
    Action.PERSON_EDIT: frozenset({Role.PREVENT_COORDINATOR}),
    Action.PERSON_MERGE: frozenset({Role.PREVENT_COORDINATOR}),
    Action.CASE_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER,
                                 Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER}),
    Action.CASE_MANAGE: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR}),
    Action.CASE_EXPORT: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR}),
    Action.CASE_CHRONOLOGY: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR,
                                       Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER}),
    Action.CASE_NOTE_ADD: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER,
                                     Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER}),
    Action.CONSENT_RECORD: frozenset({Role.PREVENT_COORDINATOR}),
    Action.VAF_ASSESS: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER,
                                  Role.PANEL_MEMBER}),
    Action.SUPPORT_PLAN_MANAGE: frozenset({Role.PREVENT_COORDINATOR}),
    Action.SUPPORT_ACTIONS_ALL: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR,
                                           Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER}),
    Action.PLAN_ACTION_COMPLETE: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR,
                                            Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER,
                                            Role.INTERVENTION_PROVIDER}),
    Action.SESSION_RECORD: frozenset({Role.PREVENT_COORDINATOR, Role.INTERVENTION_PROVIDER}),
    Action.CASE_TRANSFER: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR}),
    Action.CASE_DASHBOARD: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR}),
    Action.VAF_FRAMEWORK_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.PANEL_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.POLICE_PRACTITIONER,
                                  Role.PANEL_MEMBER}),
    Action.PANEL_MANAGE: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR}),
    Action.PANEL_MINUTES_APPROVE: frozenset({Role.CHANNEL_CHAIR}),
    Action.PANEL_DECIDE_OUTSIDE_MEETING: frozenset({Role.CHANNEL_CHAIR}),
    Action.RETENTION_POLICY_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
    Action.RETENTION_RUNS_VIEW: frozenset({Role.AUDITOR, Role.DATA_PROTECTION_OFFICER}),
    Action.LEGAL_HOLD_MANAGE: frozenset({Role.DATA_PROTECTION_OFFICER, Role.PREVENT_COORDINATOR,
                                         Role.COMPLAINTS_OFFICER}),
    Action.RIGHTS_REQUEST_MANAGE: frozenset({Role.DATA_PROTECTION_OFFICER}),
    Action.SUBJECT_ACCESS_PREPARE: frozenset({Role.DATA_PROTECTION_OFFICER}),
    Action.SUBJECT_ACCESS_APPROVE: frozenset({Role.DATA_PROTECTION_OFFICER, Role.PREVENT_COORDINATOR}),
    # The Prevent coordinator is the council's Prevent lead for venue hire.
    Action.VENUE_MANAGE: frozenset({Role.VENUE_BOOKING_OFFICER}),
    Action.VENUE_BOOKING_VIEW: frozenset({Role.VENUE_BOOKING_OFFICER, Role.PREVENT_COORDINATOR}),
    Action.VENUE_BOOKING_CHECK: frozenset({Role.VENUE_BOOKING_OFFICER}),
    Action.VENUE_BOOKING_ADVISE: frozenset({Role.PREVENT_COORDINATOR}),
    Action.VENUE_BOOKING_DECIDE: frozenset({Role.VENUE_BOOKING_OFFICER}),
    Action.VENUE_APPEAL_DECIDE: frozenset({Role.VENUE_BOOKING_OFFICER, Role.PREVENT_COORDINATOR}),
    Action.VENUE_BOOKING_CANCEL: frozenset({Role.VENUE_BOOKING_OFFICER}),
    Action.VENUE_BOOKING_EXPORT: frozenset({Role.VENUE_BOOKING_OFFICER}),
    Action.COMPLAINT_VIEW: frozenset({Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER}),
    Action.COMPLAINT_RECORD: frozenset({Role.COMPLAINTS_OFFICER}),
    Action.COMPLAINT_TRIAGE: frozenset({Role.COMPLAINTS_OFFICER}),
    Action.COMPLAINT_INVESTIGATE: frozenset({Role.COMPLAINTS_OFFICER, Role.INVESTIGATING_OFFICER}),
    Action.COMPLAINT_RESPOND: frozenset({Role.COMPLAINTS_OFFICER}),
    Action.COMPLAINT_LETTERS_MANAGE: frozenset({Role.COMPLAINTS_OFFICER}),
    Action.COMPLAINT_EXPORT: frozenset({Role.COMPLAINTS_OFFICER}),
    Action.TRAINING_VIEW: frozenset({Role.TRAINING_ADMINISTRATOR, Role.TRAINING_LEAD}),
    Action.TRAINING_RECORD: frozenset({Role.TRAINING_ADMINISTRATOR, Role.TRAINING_LEAD}),
    Action.TRAINING_IMPORT: frozenset({Role.TRAINING_ADMINISTRATOR}),
    Action.TRAINING_COURSES_MANAGE: frozenset({Role.TRAINING_ADMINISTRATOR}),
    Action.TRAINING_EXPORT: frozenset({Role.TRAINING_ADMINISTRATOR, Role.TRAINING_LEAD}),
    # The Prevent coordinator is the council's Prevent lead, who self-assesses
    # against the duty; the summary is figures only, so auditors see it too.
    Action.ASSURANCE_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.TRAINING_ADMINISTRATOR, Role.AUDITOR}),
    Action.REFERRAL_REPORTING_DETAILS: frozenset({Role.PREVENT_COORDINATOR}),
    Action.REFERRALS_IMPORT: frozenset({Role.PREVENT_COORDINATOR}),
    # Figures only, with small numbers suppressed: the council's Prevent lead,
    # the panel chair who answers to councillors, and auditors.
    Action.STATISTICS_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.AUDITOR}),
    Action.STATISTICS_EXPORT: frozenset({Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR, Role.AUDITOR}),
    Action.EQUALITY_MONITORING_VIEW: frozenset({Role.PREVENT_COORDINATOR, Role.AUDITOR}),
    Action.POPULATION_MANAGE: frozenset({Role.SYSTEM_ADMINISTRATOR}),
}

# Organisations' training leads see and record the training of learners in
# their own organisation only (access.predicates.in_own_organisation);
# training administrators work on every learner.
NEED_OWN_ORGANISATION = frozenset({Action.TRAINING_VIEW, Action.TRAINING_RECORD, Action.TRAINING_EXPORT})

# Investigating officers see and work on a complaint only while they are its
# investigating officer (access.predicates.investigating_complaint);
# complaints officers work on every complaint.
NEED_ASSIGNED_INVESTIGATOR = frozenset({Action.COMPLAINT_VIEW, Action.COMPLAINT_INVESTIGATE})

# Panel members and intervention providers act on a case only while they are
# on its team (access.predicates.on_case_team); the other roles in these
# actions work on every case.
CASE_TEAM_ROLES = frozenset({Role.PANEL_MEMBER, Role.INTERVENTION_PROVIDER})
NEED_CASE_TEAM = frozenset({
    Action.CASE_VIEW, Action.CASE_CHRONOLOGY, Action.CASE_NOTE_ADD, Action.VAF_ASSESS,
    Action.SESSION_RECORD, Action.PLAN_ACTION_COMPLETE,
})

# Panel members also see a case (and its timeline) while it is on the agenda
# of a meeting they are invited to, until PANEL_CASE_ACCESS_DAYS after it
# (access.predicates.on_current_agenda).
AGENDA_GRANTS = frozenset({Action.CASE_VIEW, Action.CASE_CHRONOLOGY})

# Police and panel members see a meeting only if invited to it (as a standing
# member of its panel, for one of its items, or recorded as attending);
# coordinators and chairs see every meeting.
INVITED_ROLES = frozenset({Role.POLICE_PRACTITIONER, Role.PANEL_MEMBER})
NEED_INVITATION = frozenset({Action.PANEL_VIEW})

# Rules about a particular record, on top of the role (see access.checks).
# Police practitioners work on referrals once the council has shared them, and
# see the people those referrals are about.
POLICE_NEED_SHARED_REFERRAL = frozenset(
    {Action.REFERRAL_VIEW, Action.REFERRAL_GATEWAY_OUTCOME, Action.PERSON_VIEW}
)

# Changes refused while the person a record is about has their processing
# restricted (access.predicates.record_not_restricted): the record stays
# readable, with a banner saying why it cannot be changed.
REFUSED_WHILE_RESTRICTED = frozenset({
    Action.REFERRAL_SHARE_WITH_POLICE, Action.REFERRAL_GATEWAY_OUTCOME, Action.PERSON_MATCH,
    Action.PERSON_EDIT, Action.PERSON_MERGE, Action.CASE_MANAGE, Action.CASE_NOTE_ADD,
    Action.CONSENT_RECORD, Action.VAF_ASSESS, Action.SUPPORT_PLAN_MANAGE, Action.PLAN_ACTION_COMPLETE,
    Action.SESSION_RECORD, Action.CASE_TRANSFER, Action.REFERRAL_REPORTING_DETAILS,
})
