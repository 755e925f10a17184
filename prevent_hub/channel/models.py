"""Channel cases: from the gateway decision to the post-exit reviews.

A case is opened when the police gateway decides a referral should proceed to
Channel. Its status moves only through `channel.lifecycle` (named states and
the transitions the law and guidance allow), each move recorded as a
`CaseTransition` with who, when and why. What the law requires is held as
records rather than remembered: consent (`Consent`), the support plan's
s.36(5) contents (`SupportPlan`), the Vulnerability Assessment Framework
(`VafFramework` reference data and `Assessment`), delivery of support
(`SupportSession`), reviews and post-exit reviews (`Review`).

`ChronologyEntry` is the case's and the person's timeline: every service that
records something about a case adds one entry in the same transaction, so the
timeline is one indexed read however much has happened. Notes cannot be
changed after saving; corrections are addenda.
"""


from django.conf import settings
from django.db import models

from prevent_hub.core.uploads import stored_path
from prevent_hub.encryption.fields import EncryptedTextField

USER = settings.AUTH_USER_MODEL


class CaseStatus(models.TextChoices):
    SCREENING = "screening", "Screening and information gathering"
    AWAITING_PANEL = "awaiting_panel", "Awaiting panel decision"
    NOT_ADOPTED = "not_adopted", "Not adopted"
    ADOPTED = "adopted", "Adopted"
    CONSENT_SOUGHT = "consent_sought", "Consent being sought"
    CONSENT_GIVEN = "consent_given", "Consent given"
    CONSENT_REFUSED = "consent_refused", "Consent refused or withdrawn"
    SUPPORT = "support", "Support under way"
    EXITED = "exited", "Exited: post-exit reviews"
    CLOSED = "closed", "Closed"


class NotAdoptedOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    SIGNPOSTED = "signposted", "Signposted to other services"
    POLICE_LED = "police_led", "Police-led management"


class ClosureReason(models.TextChoices):
    POST_EXIT_REVIEWS_DONE = "post_exit_reviews_done", "Exited and post-exit reviews completed"
    NOT_ADOPTED = "not_adopted", "Not adopted by the panel"
    CONSENT_REFUSED = "consent_refused", "Consent refused and not re-assessed"
    TRANSFERRED = "transferred", "Transferred to another council's panel"
    OTHER = "other", "Other (explained in the reasons)"


class Area(models.Model):
    """An area a Channel panel serves, as police and partners name it:
    reference data, so renaming one keeps its cases, its panel and the
    police representatives recorded for it. An area no longer served is
    deactivated, never deleted, since cases and minutes name it."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ChannelCase(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="channel_cases")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="channel_case"
    )
    status = models.CharField(max_length=30, choices=CaseStatus.choices, default=CaseStatus.SCREENING)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The area the person lives in (a panel's area): a police representative
    # for it must be present when the panel discusses the person. None: the
    # area of the panel discussing the case.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    # Panel decision not to adopt: the outcome, and the referral to health or
    # social care the law says the panel must consider (and where).
    not_adopted_outcome = models.CharField(max_length=30, choices=NotAdoptedOutcome.choices, blank=True)
    not_adopted_signposted_to = models.CharField(max_length=200, blank=True)
    health_social_care_considered = models.BooleanField(null=True, blank=True)
    health_social_care_notes = EncryptedTextField(max_length=2000, blank=True)
    adopted_on = models.DateField(null=True, blank=True)
    # The day a Channel panel first discussed the case (a decision on it at a
    # meeting or outside one), kept by the panel services; what the national
    # statistics count as "discussed at a Channel panel".
    first_discussed_on = models.DateField(null=True, blank=True)
    # Set when consent is refused or withdrawn: when the panel will look again.
    reassessment_date = models.DateField(null=True, blank=True)
    support_started_on = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    exit_date = models.DateField(null=True, blank=True)
    exit_reasons = EncryptedTextField(max_length=5000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    closure_details = EncryptedTextField(max_length=5000, blank=True)
    # Support with no delivered session for SUPPORT_STALLED_WEEKS is flagged;
    # kept on the case (by the session services) so work trays need no scan.
    last_session_delivered_on = models.DateField(null=True, blank=True)
    # Set when the case is not adopted, exits or closes, from the retention
    # policy in force then (channel.retention); cleared if it reopens.
    retain_until = models.DateField(null=True, blank=True)
    retention_policy = models.ForeignKey("retention.RetentionPolicy", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            # The case list and the cases API show newest first: without this
            # every page sorted all cases.
            models.Index(fields=["-opened_at", "-id"], name="case_by_opened"),
            # With the id, a list of one status is in its order too.
            models.Index(fields=["status", "opened_at", "id"], name="case_by_status"),
            models.Index(fields=["next_review_date"], name="case_by_next_review"),
            models.Index(fields=["reassessment_date"], name="case_by_reassessment"),
            models.Index(fields=["status", "last_session_delivered_on"], name="case_support_stalled"),
            models.Index(fields=["retain_until"], name="case_by_retain_until"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.status != CaseStatus.CLOSED


class CaseTransition(models.Model):
    """One move of a case's status: who, when, why."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=30, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=30, choices=CaseStatus.choices)
    occurred_at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reasons = EncryptedTextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class CaseRole(models.TextChoices):
    COORDINATOR = "coordinator", "Prevent coordinator"
    CHAIR = "chair", "Channel panel chair"
    POLICE = "police", "Police practitioner"
    MEMBER = "member", "Panel member"
    INTERVENTION_PROVIDER = "intervention_provider", "Intervention provider"


class CaseTeamMember(models.Model):
    """A named person working on a case. Panel members and intervention
    providers see a case only while they are on its team."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_memberships")
    role = models.CharField(max_length=30, choices=CaseRole.choices)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(removed_at__isnull=True),
                name="one_current_membership_per_user",
            ),
        ]
        indexes = [models.Index(fields=["user", "removed_at"], name="case_team_by_user")]

    def __str__(self):
        return f"{self.user_id} on {self.case_id} ({self.role})"


class InformationRequest(models.Model):
    """A request to a partner organisation for what it knows (screening)."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="information_requests")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, help_text="Who is asked, as they are known.")
    contact = models.CharField(max_length=254, blank=True)
    question = EncryptedTextField("what is asked", max_length=5000)
    requested_on = models.DateField()
    due_date = models.DateField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Answer(models.TextChoices):
        RESPONDED = "responded", "Responded"
        DECLINED = "declined", "Declined"

    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    response = EncryptedTextField(max_length=10000, blank=True)
    decline_reason = EncryptedTextField(max_length=2000, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer_recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["answer", "due_date"], name="info_request_due")]

    def __str__(self):
        return f"{self.organisation_name}: due {self.due_date}"


class ConsentGiver(models.TextChoices):
    PERSON = "person", "The person (18 or over)"
    PARENT_OR_GUARDIAN = "parent_or_guardian", "A parent or guardian (under 18)"


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"
    PREVIOUS_SYSTEM = "previous_system", "Recorded in the council's previous system (imported)"


class ConsentAnswer(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"


class Consent(models.Model):
    """One request for consent to Channel support and its answer. Withdrawal
    later is recorded on the same row."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="consents")
    giver = models.CharField(max_length=30, choices=ConsentGiver.choices)
    giver_name = models.CharField("who was asked", max_length=150)
    giver_relationship = models.CharField(max_length=100, blank=True,
                                          help_text="For a parent or guardian: their relationship.")
    asked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    asked_on = models.DateField()
    answer = models.CharField(max_length=20, choices=ConsentAnswer.choices, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    capacity_notes = EncryptedTextField(max_length=2000, blank=True)
    child_views = EncryptedTextField("the child's own views", max_length=2000, blank=True)
    notes = EncryptedTextField(max_length=2000, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_notes = EncryptedTextField(max_length=2000, blank=True)
    withdrawal_recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["asked_on", "pk"]

    def __str__(self):
        return f"Consent for {self.case_id} asked {self.asked_on}"


class VafFramework(models.Model):
    """A version of the Vulnerability Assessment Framework's wording. Editing
    the wording publishes a new version; assessments keep the version they
    were written against, so old assessments keep their wording."""

    version = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"VAF version {self.version}"


class VafDimension(models.Model):
    framework = models.ForeignKey(VafFramework, on_delete=models.PROTECT, related_name="dimensions")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="vaf_dimension_key")]

    def __str__(self):
        return self.name


class VafFactor(models.Model):
    dimension = models.ForeignKey(VafDimension, on_delete=models.PROTECT, related_name="factors")
    key = models.SlugField(max_length=60)
    wording = models.CharField(max_length=300)
    guidance = models.TextField(max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["dimension", "position"]
        constraints = [models.UniqueConstraint(fields=["dimension", "key"], name="vaf_factor_key")]

    def __str__(self):
        return self.wording


class AssessmentKind(models.TextChoices):
    ADOPTION = "adoption", "At adoption"
    REVIEW = "review", "At a review"
    # The VAF at exit: the panel decides exit only once one is completed.
    EXIT = "exit", "At exit"


class Assessment(models.Model):
    """A Vulnerability Assessment Framework assessment: professional judgement
    in words, per factor and per dimension. It never has a score."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="assessments")
    framework = models.ForeignKey(VafFramework, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    assessed_on = models.DateField()
    review = models.ForeignKey("Review", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessed_on", "pk"]

    def __str__(self):
        return f"Assessment of {self.case_id} on {self.assessed_on}"


class FactorEvidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    factor = models.ForeignKey(VafFactor, on_delete=models.PROTECT, related_name="+")
    not_known = models.BooleanField(default=False)
    evidence = EncryptedTextField(max_length=5000, blank=True)
    source = models.CharField("source of the information", max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "factor"], name="one_entry_per_factor")]

    def __str__(self):
        return f"{self.assessment_id}/{self.factor_id}"


class DimensionJudgement(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="judgements")
    dimension = models.ForeignKey(VafDimension, on_delete=models.PROTECT, related_name="+")
    judgement = EncryptedTextField(max_length=10000)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="one_judgement_per_dimension"),
        ]

    def __str__(self):
        return f"{self.assessment_id}/{self.dimension_id}"


class SupportPlan(models.Model):
    """What s.36(5) of the Counter-Terrorism and Security Act 2015 requires a
    support plan to say."""

    case = models.OneToOneField(ChannelCase, on_delete=models.CASCADE, related_name="support_plan")
    consent_how = EncryptedTextField("how consent is to be requested", max_length=2000, blank=True)
    consent_when = models.CharField("when consent is to be requested", max_length=200, blank=True)
    consent_by_whom = models.CharField("by whom consent is to be requested", max_length=200, blank=True)
    nature_of_support = EncryptedTextField("the nature of the support", max_length=5000, blank=True)
    how_and_when_provided = EncryptedTextField("how and when it is provided", max_length=5000, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"Support plan for {self.case_id}"


class SupportProvider(models.Model):
    """Who provides support under a plan."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="providers")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    support_type = models.CharField(max_length=200)
    home_office_approved = models.BooleanField(
        "Home Office-approved Intervention Provider", default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.organisation_id}: {self.support_type}"


class PlanAction(models.Model):
    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="plan_actions")
    description = EncryptedTextField(max_length=2000)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="plan_actions")
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The owner is told once when the action falls due and once when overdue.
    due_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Who said it was done, and the case note they wrote about it (if any).
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    done_note = models.ForeignKey("Note", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_date"], name="plan_action_by_owner")]

    def __str__(self):
        return self.description[:60]


class SessionStatus(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class SupportSession(models.Model):
    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="sessions")
    provider = models.ForeignKey(SupportProvider, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="sessions")
    held_on = models.DateField()
    status = models.CharField(max_length=20, choices=SessionStatus.choices)
    notes = EncryptedTextField(max_length=5000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.held_on} {self.status}"


class ReviewKind(models.TextChoices):
    PANEL_REVIEW = "panel_review", "Panel review"
    POST_EXIT = "post_exit", "Post-exit review"


class Review(models.Model):
    """A review of an open case, or a review 6 or 12 months after exit."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    months_after_exit = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    outcome = EncryptedTextField(max_length=5000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["completed_on", "due_date"], name="review_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "months_after_exit"], condition=models.Q(kind="post_exit"),
                name="one_post_exit_review_per_interval",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.case_id} due {self.due_date}"


class Note(models.Model):
    """A case note. Never changed after saving: a correction is an addendum."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(max_length=10000)
    addendum_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="addenda")
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"Note {self.pk} on {self.case_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise NoteIsPermanent("A saved note cannot be changed: add a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise NoteIsPermanent("A saved note cannot be deleted: add a correction instead.")


class NoteIsPermanent(Exception):
    """Notes are part of the record: corrections are addenda, never edits."""


def case_document_path(instance, filename):
    return stored_path("cases", instance.content_type)


class CaseDocument(models.Model):
    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=case_document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Transfer(models.Model):
    """A case sent to another council's panel when the person moves."""

    case = models.OneToOneField(ChannelCase, on_delete=models.PROTECT, related_name="transfer")
    receiving_council = models.CharField(max_length=200)
    receiving_contact = models.CharField(max_length=254)
    moved_on = models.DateField(null=True, blank=True)
    reasons = EncryptedTextField(max_length=5000)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"Transfer of {self.case_id} to {self.receiving_council}"


class ChronologyKind(models.TextChoices):
    REFERRAL = "referral", "Referral"
    DECISION = "decision", "Decision"
    STATUS = "status", "Status change"
    INFORMATION_REQUEST = "information_request", "Information request"
    CONSENT = "consent", "Consent"
    ASSESSMENT = "assessment", "Assessment"
    SUPPORT_PLAN = "support_plan", "Support plan"
    SESSION = "session", "Support session"
    REVIEW = "review", "Review"
    NOTE = "note", "Note"
    DOCUMENT = "document", "Document"
    EMAIL = "email", "Email"
    TRANSFER = "transfer", "Transfer"


class ChronologyEntry(models.Model):
    """One line of a case's (and its person's) timeline. Written by the
    service that records the event, in the same transaction. The summary is
    short and says what happened, not the sensitive detail, which stays on the
    record it links to (object_type/object_id)."""

    case = models.ForeignKey(ChannelCase, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="chronology")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="chronology")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=ChronologyKind.choices)
    summary = models.CharField(max_length=300)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [
            models.Index(fields=["case", "occurred_at", "id"], name="chronology_by_case"),
            models.Index(fields=["person", "occurred_at", "id"], name="chronology_by_person"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d} {self.kind}: {self.summary}"
