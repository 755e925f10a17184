"""Channel panels and their meetings.

A `Panel` serves an area: the council chairs it (`chair`), and its standing
members (`PanelMember`) come from the police and partner organisations. A
`PanelMeeting` has an agenda of `AgendaItem`s, one per case to be discussed,
built from the cases that need the panel (see panels.agenda). People invited
for one item only (the referrer, say) are `ItemInvitee`s. `Attendance` records
who was there, for which organisation, and for police which area they
represent: the law requires a police representative for the person's area to
be present when that person is discussed, and no decision on an item is
recorded without one.

The decision on an item changes the case through the Channel case services;
the item keeps what the panel decided, how (consensus, majority with the
counts, or the chair's decision) and why. Actions the panel sets are Channel
plan actions, linked to the item by `ItemAction`.

`Minutes` are generated from the record: each item's minute is written from
its decision and can be edited until the chair approves the minutes; after
that nothing changes, and corrections are `MinutesAddendum`s.
"""

from django.conf import settings
from django.db import models

from prevent_hub.accounts.models import OrganisationType
from prevent_hub.encryption.fields import EncryptedTextField

USER = settings.AUTH_USER_MODEL


class Panel(models.Model):
    name = models.CharField(max_length=200, unique=True)
    area = models.OneToOneField("channel.Area", on_delete=models.PROTECT, related_name="panel",
                                help_text="The area the panel serves.")
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="panels_chaired")
    # Deputy chairs chair a meeting, and take a chair's decision outside one,
    # when the chair cannot.
    deputy_chairs = models.ManyToManyField(USER, blank=True, related_name="panels_deputy_chaired")
    # An inactive panel keeps its meetings and minutes; no new meeting is
    # scheduled for it.
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PanelMember(models.Model):
    """A standing member: invited to every meeting of the panel while a
    member. Their organisation is their account's."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="panel_memberships")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], condition=models.Q(removed_at__isnull=True),
                                    name="one_current_panel_membership"),
        ]
        indexes = [models.Index(fields=["user", "removed_at"], name="panel_member_by_user")]

    def __str__(self):
        return f"{self.user_id} on {self.panel_id}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class PanelMeeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField()
    location = models.CharField("place", max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [models.Index(fields=["date", "status"], name="meeting_by_date")]

    def __str__(self):
        return f"{self.panel} on {self.date:%Y-%m-%d}"


class AgendaReason(models.TextChoices):
    AWAITING_DECISION = "awaiting_decision", "Awaiting an adoption decision"
    REVIEW_DUE = "review_due", "Review due"
    REASSESSMENT_DUE = "reassessment_due", "Consent refused: re-assessment due"
    POST_EXIT_REVIEW_DUE = "post_exit_review_due", "Post-exit review due"
    OUTSIDE_MEETING_REVIEW = "outside_meeting_review", "Decision taken outside a meeting: for review"
    ADDED_BY_CHAIR = "added", "Added to the agenda"


class ItemDecision(models.TextChoices):
    ADOPT = "adopt", "Adopt as a Channel case"
    NOT_ADOPT = "not_adopt", "Not adopt"
    MORE_INFORMATION = "more_information", "Return to screening for more information"
    CONTINUE_SUPPORT = "continue_support", "Continue support"
    REVISE_PLAN = "revise_plan", "Revise the support plan"
    EXIT = "exit", "Exit Channel"
    SEEK_CONSENT_AGAIN = "seek_consent_again", "Seek consent again"
    REASSESS = "reassess", "Re-assess on a later date"
    POST_EXIT_REVIEW = "post_exit_review", "Record the post-exit review"
    NOTED = "noted", "Discussed: no change to the case"


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", "Consensus"
    MAJORITY = "majority", "Majority vote"
    CHAIR = "chair", "The chair's decision"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("channel.ChannelCase", on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField()
    reason = models.CharField(max_length=30, choices=AgendaReason.choices)
    # For a post-exit review item: the review it is for.
    review = models.ForeignKey("channel.Review", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    # For an item reviewing a decision taken outside a meeting: that decision.
    outside_decision = models.ForeignKey("OutsideMeetingDecision", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="review_items")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    decision = models.CharField(max_length=30, choices=ItemDecision.choices, blank=True)
    decision_method = models.CharField(max_length=20, choices=DecisionMethod.choices, blank=True)
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = EncryptedTextField(max_length=5000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The item's minute: written from the decision, editable until approval.
    minute = EncryptedTextField(max_length=20000, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="one_item_per_case_per_meeting"),
        ]
        indexes = [models.Index(fields=["case", "meeting"], name="agenda_item_by_case")]

    def __str__(self):
        return f"Item {self.position} of {self.meeting_id}: {self.case_id}"


class OutsideMeetingKind(models.TextChoices):
    WRITTEN_PROCEDURE = "written_procedure", "Written procedure"
    URGENT_CHAIR = "urgent_chair", "Urgent decision of the chair"


class OutsideMeetingDecision(models.Model):
    """A panel decision that could not wait for a meeting: the only way a case
    moves without a meeting. The chair (or a deputy chair) takes it, named,
    after consulting panel members, police among them; it says why it could
    not wait, and the next meeting of the panel reviews it (an agenda item
    pointing here). What it decides changes the case exactly as a meeting's
    decision would (panels.decisions)."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="outside_decisions")
    case = models.ForeignKey("channel.ChannelCase", on_delete=models.PROTECT,
                             related_name="outside_meeting_decisions")
    kind = models.CharField(max_length=30, choices=OutsideMeetingKind.choices)
    decision = models.CharField(max_length=30, choices=ItemDecision.choices)
    decided_on = models.DateField()
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    consulted = models.ManyToManyField(USER, related_name="+")
    why_not_at_meeting = EncryptedTextField(max_length=2000)
    reasons = EncryptedTextField(max_length=5000)
    # What it recorded beyond the reasons, as the minute of an item would say.
    summary = EncryptedTextField(max_length=20000, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["panel", "decided_on"], name="outside_decision_by_panel")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.case_id} ({self.decided_on})"


class ItemInvitee(models.Model):
    """Someone invited for one item only. With an account (and the panel
    member role) they see that case, and nothing else on the agenda."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="panel_item_invitations")
    name = models.CharField(max_length=150)
    organisation_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    invited_at = models.DateTimeField()
    invited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["invited_at", "pk"]
        indexes = [models.Index(fields=["user"], name="item_invitee_by_user")]

    def __str__(self):
        return f"{self.name} for item {self.item_id}"


class Attendance(models.Model):
    """One person at a meeting (or for one item of it), for an organisation."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=150)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    organisation_name = models.CharField(max_length=200)
    organisation_type = models.CharField(max_length=40, choices=OrganisationType.choices)
    # Police representatives: the area they represent (a panel's area).
    police_area = models.ForeignKey("channel.Area", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    # Apologies: expected, and said they could not come. Not present, so they
    # count for nothing (a police member's apologies leave the area uncovered
    # unless someone deputises).
    apologies = models.BooleanField(default=False)
    # Present in place of someone who sent apologies.
    deputy_for = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="deputies")
    # Present for one item only (an item invitee), or for the whole meeting.
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="attendance")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["organisation_name", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.organisation_name})"


class ItemAction(models.Model):
    """An action the panel set on an item: a Channel plan action (so it is
    on its owner's task list and gets its reminders), linked to the item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    action = models.OneToOneField("channel.PlanAction", on_delete=models.PROTECT, related_name="panel_item")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Action {self.action_id} from item {self.item_id}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Minutes(models.Model):
    meeting = models.OneToOneField(PanelMeeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    # What is not about any one case: introductions, apologies, other business.
    general_notes = EncryptedTextField(max_length=20000, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self):
        return f"Minutes of {self.meeting_id} ({self.status})"

    @property
    def is_approved(self):
        return self.status == MinutesStatus.APPROVED


class MinutesAddendum(models.Model):
    """A correction to approved minutes, about the meeting or one item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="addenda")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="addenda")
    text = EncryptedTextField(max_length=10000)
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"Addendum {self.pk} to {self.minutes_id}"
