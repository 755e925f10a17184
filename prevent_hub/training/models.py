"""Training records: the Prevent courses (reference data), the people who
take them (learners: staff of the council and its partners, who need not
have an account here) and each completion, with its certificate reference
and evidence, and when it must be refreshed.

The Home Office portal keeps a certificate's details for only minutes, so
this is the council's record of who is trained. Each learner carries the
dates that say whether they are in date (`trained_until`, and for
safeguarding and Prevent leads `referrals_course_until`): written by the
services whenever a completion is recorded or a course's refresh period
changes, so compliance over tens of thousands of learners is one indexed
aggregate rather than a scan of every completion. Nothing here scores
anyone: a learner is in date or not by the dates on their certificates."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

USER = settings.AUTH_USER_MODEL


class CourseKind(models.TextChoices):
    HOME_OFFICE = "home_office", "Home Office e-learning"
    REFRESHER = "refresher", "Refresher"
    LOCAL_WORKSHOP = "local_workshop", "Local workshop"


class Course(models.Model):
    """A course people complete: reference data, kept by training
    administrators. A refresher `renews` the course it refreshes, so it
    keeps its learners in date and meets that course's place as a
    prerequisite."""

    code = models.SlugField(
        "code", max_length=40, unique=True,
        help_text="Short code used in imported spreadsheets, for example prevent-awareness.")
    name = models.CharField("name", max_length=150)
    kind = models.CharField("kind", max_length=20, choices=CourseKind.choices, default=CourseKind.HOME_OFFICE)
    description = models.TextField("description", max_length=2000, blank=True)
    refresh_months = models.PositiveSmallIntegerField(
        "refresh period in months", default=24,
        help_text="How long a completion stays in date: 24 months is every two years.")
    prerequisite = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="must have completed first")
    renews = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="refreshes")
    counts_for_compliance = models.BooleanField(
        "counts towards being in date", default=True,
        help_text="Untick for a course that does not keep someone's Prevent training in date.")
    for_leads = models.BooleanField(
        "required of safeguarding and Prevent leads", default=False,
        help_text="Designated safeguarding leads and Prevent leads without it in date are flagged.")
    is_active = models.BooleanField("offered", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="training_course_name_ci_unique"),
            models.CheckConstraint(condition=models.Q(refresh_months__gte=1, refresh_months__lte=120),
                                   name="training_course_refresh_in_range"),
        ]

    def __str__(self):
        return self.name


# What a learner's compliance standing is worked out from.
STANDING_COLUMNS = ["trained_until", "referrals_course_until", "left_on", "is_safeguarding_lead",
                    "is_prevent_lead"]


class Learner(models.Model):
    """Someone whose Prevent training is recorded: matched by email (kept
    canonical, as account emails are). `user` is their own account, when
    they have one, so signed-in staff can record their own training."""

    reference = models.CharField(max_length=20, unique=True)
    full_name = models.CharField("name", max_length=150)
    email = models.EmailField("email address", max_length=254, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="learners")
    job_role = models.CharField("role", max_length=150, blank=True)
    is_safeguarding_lead = models.BooleanField("designated safeguarding lead", default=False)
    is_prevent_lead = models.BooleanField("Prevent lead", default=False)
    user = models.OneToOneField(USER, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="learner")
    left_on = models.DateField("left the organisation on", null=True, blank=True)
    # Written by services.learner_dates_refresh: see the module docstring.
    trained_until = models.DateField(null=True, blank=True)
    referrals_course_until = models.DateField(null=True, blank=True)
    last_completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    retain_until = models.DateField(null=True, blank=True)
    retention_policy = models.ForeignKey("retention.RetentionPolicy", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["full_name", "pk"]
        # Every column the compliance rules read (training.selectors), so
        # counting an organisation's or a role's learners reads the index
        # alone, never the table (benchmarks/training.py).
        indexes = [
            models.Index(fields=["organisation", *STANDING_COLUMNS], name="learner_org_standing"),
            models.Index(fields=["job_role", *STANDING_COLUMNS], name="learner_role_standing"),
            models.Index(fields=["retain_until"], name="learner_by_retain_until"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_lead(self) -> bool:
        return self.is_safeguarding_lead or self.is_prevent_lead


class CompletionSource(models.TextChoices):
    OWN = "own", "Recorded by the learner"
    ON_BEHALF = "on_behalf", "Recorded for the learner"
    IMPORT = "import", "Imported from a spreadsheet"


class Completion(models.Model):
    """One course completed on one day. The same learner, course and day
    is one completion, which is what makes a re-import change nothing."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField("completed on")
    expires_on = models.DateField("refresh due by")
    certificate_reference = models.CharField("certificate reference", max_length=100, blank=True)
    evidence = models.FileField(upload_to="training/evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField("evidence", max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    source = models.CharField("how it was recorded", max_length=20, choices=CompletionSource.choices)
    training_import = models.ForeignKey("TrainingImport", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="completions")
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "course", "completed_on"],
                                    name="one_completion_per_learner_course_day"),
        ]
        indexes = [models.Index(fields=["expires_on"], name="completion_by_expires_on")]

    def __str__(self):
        return f"{self.course} on {self.completed_on:%d %B %Y}"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked: ready to import"
    REJECTED = "rejected", "Not imported: rows to correct"
    CHECKING = "checking", "Checking the file"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Import failed"


class TrainingImport(models.Model):
    """One spreadsheet of completions, uploaded or given to
    `manage.py import_training`: its validation report and progress. The
    file itself is deleted once imported or rejected; the report (line
    numbers and reasons, never the rows' contents) stays."""

    file = models.FileField(upload_to="training/imports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    skip_bad_rows = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"line": 3, "reason": "..."}], organisation names new to the service,
    # and what the import did: {"learners_created", "learners_updated",
    # "completions_created", "completions_already_recorded"}.
    errors = models.JSONField(default=list, blank=True)
    new_organisations = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"


class CompletionReminder(models.Model):
    """A reminder sent to a learner before a completion's refresh date:
    once per completion (the unique constraint makes a second send a no-op)."""

    completion = models.OneToOneField(Completion, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField()

    def __str__(self):
        return f"Reminder for {self.completion_id}"
