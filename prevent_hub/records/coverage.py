"""Every model of every prevent_hub app, and what happens to its rows when
retention deletes a record (tests/test_personal_data_is_covered.py).

COVERED: models holding personal data about the people concerns are about,
each with the records whose deletion removes its rows (object types, as
"app_label.modelname" of the record deleted: a referral, a Channel case, a
person, an unsubmitted referral draft, a rights request, a venue booking,
an unsubmitted booking request, a complaint, a learner's training record).
NOT_ABOUT_SUBJECTS: models with no
such personal data, each with the reason.

Plain dicts of plain strings, so anything (the subject access bundle, which
searches the COVERED models for a person, included) can import them. A new
model belongs in one of the two, or the test fails."""

REFERRAL = "referrals.referral"
CASE = "channel.channelcase"
PERSON = "people.person"
DRAFT = "referrals.referraldraft"
RIGHTS = "rights.rightsrequest"
VENUE_BOOKING = "venues.venuebooking"
# Unsubmitted booking requests are deleted when they expire
# (venues.drafts.booking_drafts_expire), not by a retention run.
BOOKING_DRAFT = "venues.bookingdraft"
COMPLAINT = "complaints.complaint"
LEARNER = "training.learner"

COVERED: dict[str, tuple[str, ...]] = {
    # Referrals: deleted with the referral (on its own, or with its case).
    "referrals.Referral": (REFERRAL, CASE),
    "referrals.ReferralName": (REFERRAL, CASE),
    "referrals.ReferralAttachment": (REFERRAL, CASE, DRAFT),
    "referrals.ReferralDraft": (DRAFT,),
    # People: deleted with the person once their last referral and case go;
    # match decisions also with the referral they were about.
    "people.Person": (PERSON,),
    "people.PersonName": (PERSON,),
    "people.PersonChange": (PERSON,),
    "people.PersonMerge": (PERSON,),
    "people.PersonDistinction": (PERSON,),
    "people.MatchDecision": (REFERRAL, PERSON),
    # Channel: deleted with the case.
    "channel.ChannelCase": (CASE,),
    "channel.CaseTransition": (CASE,),
    "channel.CaseTeamMember": (CASE,),
    "channel.InformationRequest": (CASE,),
    "channel.Consent": (CASE,),
    "channel.Assessment": (CASE,),
    "channel.FactorEvidence": (CASE,),
    "channel.DimensionJudgement": (CASE,),
    "channel.SupportPlan": (CASE,),
    "channel.SupportProvider": (CASE,),
    "channel.PlanAction": (CASE,),
    "channel.SupportSession": (CASE,),
    "channel.Review": (CASE,),
    "channel.Note": (CASE,),
    "channel.CaseDocument": (CASE,),
    "channel.Transfer": (CASE,),
    # A timeline line goes with its case, with the referral it is about, or
    # with the person.
    "channel.ChronologyEntry": (CASE, REFERRAL, PERSON),
    # Panels: what a meeting said and did about one case goes with the case.
    "panels.AgendaItem": (CASE,),
    "panels.ItemInvitee": (CASE,),
    "panels.ItemAction": (CASE,),
    "panels.MinutesAddendum": (CASE,),
    "panels.OutsideMeetingDecision": (CASE,),
    # Attendance for one item goes with the case; a meeting's standing
    # attendance (staff and partner representatives) stays with the meeting.
    "panels.Attendance": (CASE,),
    # A data protection rights request, its frozen subject access bundle and
    # its redactions: kept for their own period after completion.
    "rights.RightsRequest": (RIGHTS,),
    "rights.SubjectAccessBundle": (RIGHTS,),
    "rights.Redaction": (RIGHTS,),
    # Which venue bookings a subject access request covers: with either.
    "rights.VenueBookingLink": (RIGHTS, VENUE_BOOKING),
    # Which complaints naming the complainant a subject access request
    # covers: with either.
    "rights.ComplaintLink": (RIGHTS, COMPLAINT),
    # Venue hire: a booking and everything about it go together, two years
    # after the event by default; its files go with it.
    "venues.VenueBooking": (VENUE_BOOKING,),
    "venues.Speaker": (VENUE_BOOKING,),
    "venues.PromotionFile": (VENUE_BOOKING, BOOKING_DRAFT),
    "venues.BookingDraft": (BOOKING_DRAFT,),
    "venues.BookingCheck": (VENUE_BOOKING,),
    "venues.CheckEvidence": (VENUE_BOOKING,),
    "venues.Escalation": (VENUE_BOOKING,),
    "venues.BookingDecision": (VENUE_BOOKING,),
    "venues.DecisionCondition": (VENUE_BOOKING,),
    "venues.Appeal": (VENUE_BOOKING,),
    "venues.BookingChange": (VENUE_BOOKING,),
    "venues.Letter": (VENUE_BOOKING,),
    # Complaints: a complaint and everything about it go together, six years
    # after closure by default; its documents go with it. A complaint linked
    # to a referral or case stays when they go (it keeps their reference).
    "complaints.Complaint": (COMPLAINT,),
    "complaints.ComplaintPoint": (COMPLAINT,),
    "complaints.InvestigationNote": (COMPLAINT,),
    "complaints.ComplaintDocument": (COMPLAINT,),
    "complaints.Sharing": (COMPLAINT,),
    "complaints.Extension": (COMPLAINT,),
    "complaints.Letter": (COMPLAINT,),
    # Training records: a learner (staff of the council or a partner) with
    # their completions, the reminders sent about them and their evidence
    # files, six years from leaving their organisation by default.
    "training.Learner": (LEARNER,),
    "training.Completion": (LEARNER,),
    "training.CompletionReminder": (LEARNER,),
    # Which learners' training records a subject access request covers: with either.
    "rights.LearnerLink": (RIGHTS, LEARNER),
    # A hold's reason is typed by staff: an ended hold goes with its record.
    "records.LegalHold": (REFERRAL, CASE, PERSON, LEARNER),
}

NOT_ABOUT_SUBJECTS: dict[str, str] = {
    "core.DemoDataLoad": "when the demo data was loaded: no personal data",
    "core.BankHoliday": "reference data (bank holidays)",
    "encryption.DataKey": "wrapped encryption keys: nothing about anyone (deleting one would lose data)",
    "core.ScheduledJob": "when each background job next runs: no personal data",
    "core.RateLimitCount": "counts per hashed client for rate limits, kept minutes: no subject data",
    "accounts.Organisation": "reference data: partner organisations",
    "accounts.User": "staff accounts: kept (deactivated, not deleted) because the audit trail names them",
    "accounts.RoleAssignment": "staff accounts' roles",
    "accounts.Session": "staff sign-in sessions, which expire",
    "accounts.RecoveryCode": "hashes of staff second-factor recovery codes, deleted when used or replaced",
    "accounts.RecoveryCodeDevice": "staff second-factor recovery-code devices (django-otp's, by proxy)",
    "audit.AuditEvent": "ids and references only, never names or text about a person; audit retention is "
                        "its own (audit.services.audit_events_purge_before)",
    "audit.AuditChainHead": "the audit chain's head: hashes only",
    "audit.AuditRetentionCheckpoint": "where the audit chain restarts: hashes and counts only",
    "audit.AuditDeletionPermit": "exists only inside audit retention's transaction",
    "audit.RefusalTally": "counts of refused requests per staff account or address, written to the trail",
    "audit.AuditForwardPosition": "how far the audit chain has been sent to the separate log system",
    "directory.Contact": "reference data: the contact directory (services, not people concerns are about)",
    "directory.RoutingRule": "reference data: Get help routing rules",
    "directory.RoutingRuleContact": "reference data: which contacts a routing rule gives",
    "retention.RetentionPolicy": "reference data: retention periods",
    "channel.Area": "reference data: areas panels serve",
    "channel.VafFramework": "reference data: the VAF's versions",
    "channel.VafDimension": "reference data: the VAF's dimensions",
    "channel.VafFactor": "reference data: the VAF's factor wording",
    "panels.Panel": "a panel, its chair and standing members: staff",
    "panels.PanelMember": "standing members of a panel: staff",
    "panels.PanelMeeting": "a meeting's date, place and status; what it said about a case is in AgendaItem",
    "panels.Minutes": "a meeting's general minutes (items about a case are in AgendaItem and "
                      "MinutesAddendum, deleted with the case); kept with the meeting",
    "api.ApiToken": "partner API tokens (hashed) and the staff account they act for",
    "records.RetentionRun": "a run's report: record types, ids, references and policies only",
    "records.Tombstone": "what is left of a deleted record: type, former id, reference, policy, dates",
    "venues.Venue": "reference data: council venues",
    "venues.Room": "reference data: a venue's rooms",
    "venues.OpeningHours": "reference data: when a venue opens",
    "venues.Closure": "when a venue or room is closed, and why (for example refurbishment): no person",
    "venues.BookingConditions": "reference data: the versions of the conditions of hire",
    "venues.ConditionsClause": "reference data: the clauses of each version of the conditions of hire",
    "venues.LetterTemplate": "reference data: the wording of letters to bookers",
    "complaints.LetterTemplate": "reference data: the wording of letters to complainants",
    "complaints.Reminder": "which deadline reminder went when: no personal data (deleted with its complaint)",
    "legacy_import.ReferralImport": ("a referrals import's report: line numbers, reasons and counts, never "
                                     "the rows; the uploaded file is deleted once imported or rejected, or "
                                     "after a day"),
    "statistics.PopulationSet": "reference data: a set of the area's population figures and who loaded it",
    "statistics.PopulationFigure": "reference data: the area's population by ethnicity, sex or age band",
    "reporting.ReportingCategory": "reference data: the national statistics' categories and their dates",
    "training.Course": "reference data: the courses, their prerequisites and refresh periods",
    "training.TrainingImport": ("a spreadsheet import's report: line numbers and reasons, new organisations' "
                                "names and counts, never the rows; the uploaded file is deleted once "
                                "imported or rejected"),
}
