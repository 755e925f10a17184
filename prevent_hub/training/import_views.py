"""Importing training completions from a spreadsheet: the upload page (with
the recent imports and an example file), and each import's page, which
shows its progress while the file is checked or imported in the background
(import_tasks), then its report and the button to import it.

The import's page works without JavaScript: while the work runs it asks the
browser to load it again every two seconds with a `Refresh` response header.
It is not a `<meta http-equiv="refresh">` element, which axe-core's
meta-refresh rule (WCAG 2.2.1) refuses on any page; the page only refreshes
while there is nothing on it to read or do but the progress, and stops once
the report is there."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.access import Action, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_datetime
from prevent_hub.govuk.forms import add_service_errors

from . import import_tasks, imports, selectors
from .import_forms import ImportUploadForm
from .models import ImportStatus, TrainingImport

IMPORT = "training.trainingimport"
RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
REFRESH_SECONDS = 2


def _crumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Training", "href": reverse("training:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def status_text(training_import: TrainingImport) -> str:
    """What the import is doing, in the page's words."""
    if training_import.status == ImportStatus.CHECKING:
        return "Checking"
    if training_import.status == ImportStatus.CHECKED and not training_import.file:
        return "Not imported: file deleted after a day"
    return training_import.get_status_display()


STATUS_TAGS = {ImportStatus.CHECKING: "govuk-tag--blue", ImportStatus.IMPORTING: "govuk-tag--blue",
               ImportStatus.CHECKED: "govuk-tag--yellow", ImportStatus.REJECTED: "govuk-tag--red",
               ImportStatus.FAILED: "govuk-tag--red", ImportStatus.IMPORTED: "govuk-tag--green"}


class ImportSizeLimit(FileUploadHandler):
    """Stops reading a file once it is over the import limit, so a huge
    upload is never written to disk whole; the view says it is too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > imports.MAX_BYTES:
            self.request.upload_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def _recent_table(recent):
    rows = []
    for training_import in recent:
        counts = training_import.counts or {}
        if training_import.status == ImportStatus.IMPORTED:
            summary = (f"{counts.get('completions_created', 0):,} recorded, "
                       f"{counts.get('completions_already_recorded', 0):,} already recorded")
        elif training_import.status in RUNNING:
            summary = f"{training_import.processed_rows:,} of {training_import.total_rows:,} rows checked"
        else:
            summary = (f"{training_import.total_rows:,} rows, "
                       f"{counts.get('rows_with_problems', len(training_import.errors)):,} with problems")
        href = reverse("training:import", kwargs={"pk": training_import.pk})
        rows.append([
            {"html": _link(href, training_import.file_name)},
            {"text": training_import.uploaded_by.full_name if training_import.uploaded_by
             else "manage.py import_training"},
            {"text": govuk_datetime(training_import.uploaded_at)},
            {"html": _tag(training_import)},
            {"text": summary},
        ])
    return {"caption": "Recent imports", "captionClasses": "govuk-table__caption--m",
            "head": [{"text": "File"}, {"text": "By"}, {"text": "Uploaded"}, {"text": "Status"},
                     {"text": "Rows"}], "rows": rows}


def _link(href, text):
    from django.utils.html import format_html

    return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)


def _tag(training_import):
    from django.utils.html import format_html

    return format_html('<strong class="govuk-tag {}">{}</strong>',
                       STATUS_TAGS.get(training_import.status, ""), status_text(training_import))


def _imports_page_body(request):
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method == "POST":
        valid = form.is_valid()
        if getattr(request, "upload_too_large", False):
            form.errors.pop("file", None)
            form.add_error("file", imports.too_large_message())
            valid = False
        if valid:
            try:
                training_import = imports.training_import_upload(
                    upload=form.cleaned_data["file"], skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                    acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                import_tasks.training_import_check.enqueue(training_import_id=training_import.pk)
                return redirect("training:import", pk=training_import.pk)
    recent = list(selectors.imports_recent())
    if recent:
        audit_read(action=AuditAction.SEARCH, object_type=IMPORT,
                   details={"list": "recent imports", "shown": len(recent)})
    return render(request, "training/import_upload.html", {
        "form": form, "recent_table": _recent_table(recent) if recent else None,
        "breadcrumbs": _crumbs(), "columns": imports.COLUMNS,
        "max_rows": settings.TRAINING_IMPORT_MAX_ROWS})


# The size limit has to be in place before anything reads the request body,
# as CSRF checking does: so CSRF is checked after it (Django's documented
# pattern, as on the referral forms).
_imports_page = csrf_protect(_imports_page_body)


@requires(Action.TRAINING_IMPORT)
@shows_many(IMPORT, part="recent imports: file names, who uploaded them, counts")
@csrf_exempt
@require_http_methods(["GET", "POST"])
def imports_page(request):
    """Upload a file; the recent imports."""
    if request.method == "POST":
        request.upload_handlers.insert(0, ImportSizeLimit(request))
    return _imports_page(request)


@requires(Action.TRAINING_IMPORT)
@shows_nothing_personal("an example file of made-up rows")
@require_GET
def example_csv(request):
    return csv_response(imports.COLUMNS, imports.EXAMPLE_ROWS, filename="training-import-example.csv")


def _import(pk) -> TrainingImport:
    training_import = imports.import_for(pk=pk)
    if training_import is None:
        raise Http404("No such import")
    return training_import


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


def _progress_text(training_import, writing: bool) -> str:
    if writing:
        return f"Writing {_rows(training_import.total_rows)} to the training records"
    if not training_import.total_rows:
        return "Reading the file"
    verb = "Checked again" if training_import.status == ImportStatus.IMPORTING else "Checked"
    return f"{verb} {training_import.processed_rows:,} of {_rows(training_import.total_rows)}"


def _counts_rows(training_import, counts) -> list:
    if training_import.status == ImportStatus.IMPORTED:
        pairs = [("Completions recorded", counts.get("completions_created", 0)),
                 ("Already recorded (nothing changed)", counts.get("completions_already_recorded", 0)),
                 ("Learners added", counts.get("learners_created", 0)),
                 ("Learners whose details were updated", counts.get("learners_updated", 0)),
                 ("Organisations added", counts.get("organisations_created", 0)),
                 ("Rows with problems, skipped", counts.get("rows_with_problems", 0))]
    else:
        pairs = [("Rows in the file", counts.get("rows", training_import.total_rows)),
                 ("Completions to record", counts.get("completions_to_record", 0)),
                 ("Already recorded (nothing will change)", counts.get("completions_already_recorded", 0)),
                 ("Rows with problems", counts.get("rows_with_problems", 0))]
    return [{"key": {"text": key}, "value": {"text": f"{value:,}"}} for key, value in pairs]


def _reason(error: dict) -> str:
    return (f"Line {error['line']}: " if error["line"] else "") + error["reason"]


def _report_page(request, training_import, *, refusal=None):
    running = training_import.status in RUNNING
    errors = training_import.errors or []
    summary = None
    if errors and training_import.status != ImportStatus.IMPORTED and not running:
        shown = errors[:10]
        summary = {"titleText": "There is a problem with the file" if len(errors) == 1 else
                   f"There are problems with {len(errors):,} rows of the file",
                   "errorList": [{"text": _reason(error), "href": f"#line-{error['line']}"}
                                 for error in shown]}
        if len(errors) > len(shown):
            summary["descriptionText"] = (f"The first {len(shown)} are listed here; the table below lists "
                                          f"all {len(errors):,}.")
    table = {"caption": "Rows with problems, not imported" if training_import.status == ImportStatus.IMPORTED
             else "Rows with problems", "captionClasses": "govuk-table__caption--m",
             "firstCellIsHeader": True, "head": [{"text": "Line"}, {"text": "Problem"}],
             "rows": [[{"text": str(error["line"]) if error["line"] else "–",
                        "attributes": {"id": f"line-{error['line']}"}}, {"text": error["reason"]}]
                      for error in errors]} if errors else None
    counts = training_import.counts or {}
    writing = bool(training_import.status == ImportStatus.IMPORTING and training_import.total_rows
                   and training_import.processed_rows >= training_import.total_rows)
    good = counts.get("completions_to_record", 0) + counts.get("completions_already_recorded", 0)
    response = render(request, "training/import_detail.html", {
        "training_import": training_import, "running": running, "writing": writing,
        "progress_text": _progress_text(training_import, writing),
        "error_summary": summary, "errors_table": table, "counts": counts,
        "form_errors": {"titleText": "There is a problem", "errorList": [
            {"text": message} for message in refusal]} if refusal else None,
        "counts_rows": _counts_rows(training_import, counts),
        "import_button": f"Import {_rows(good)}",
        "panel_text": f"{counts.get('completions_created', 0):,} completions recorded",
        "total_rows_text": f"{training_import.total_rows:,}",
        "can_import": training_import.status == ImportStatus.CHECKED and bool(training_import.file),
        "breadcrumbs": _crumbs(("Import training records", reverse("training:imports")))},
        status=400 if refusal else 200)
    if running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@requires(Action.TRAINING_IMPORT)
@shows(IMPORT, part="import report: line numbers, reasons and counts")
@require_GET
def import_page(request, pk):
    return _report_page(request, _import(pk))


@requires(Action.TRAINING_IMPORT)
@shows(IMPORT, part="import report: line numbers, reasons and counts")
@require_POST
def import_start(request, pk):
    training_import = _import(pk)
    try:
        begun = imports.training_import_start(training_import=training_import, acting_user=request.user)
    except ValidationError as error:
        return _report_page(request, training_import, refusal=error.messages)
    if begun:
        import_tasks.training_import_run.enqueue(training_import_id=training_import.pk,
                                                 acting_user_id=request.user.pk)
    return redirect("training:import", pk=training_import.pk)
