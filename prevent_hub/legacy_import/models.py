"""A spreadsheet of referrals from the council's earlier records, uploaded or
given to `manage.py import_referrals`: its check, progress and report.

The file itself is deleted once it is imported or rejected (or a day after it
was checked, if nobody imports it); the report stays. The report holds line
numbers and reasons only, never what a row said: it is not personal data."""

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking the file"
    CHECKED = "checked", "Checked: ready to import"
    REJECTED = "rejected", "Not imported: rows to correct"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Import failed"


class ReferralImport(models.Model):
    file = models.FileField(upload_to="legacy_import/%Y/%m/", blank=True)
    # The file's own name, without folders, to show; it is stored under a random one.
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    skip_bad_rows = models.BooleanField(default=False)
    # "Checked 4,000 of 10,000 rows": written as the check goes, each update
    # committed at once so the page refreshing itself sees it.
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"line": 3, "reason": "..."}], by line; line 0 is about the whole import.
    errors = models.JSONField(default=list, blank=True)
    # What the check planned ({"referrals_to_import", "already_imported",
    # "rows_with_problems", ...}) and, once imported, what was created
    # ({"referrals_created", "people_created", "cases_created", ...}).
    counts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
