"""Importing referrals from the council's earlier records: the upload page
(with the recent imports and an example file), and each import's page, which
shows its progress while the file is checked or imported in the background
(tasks), then its report and the button to import it.

As training imports do, the import's page works without JavaScript: while the
work runs it asks the browser to load it again every two seconds with a
`Refresh` response header (not a `<meta http-equiv="refresh">` element, which
axe-core's meta-refresh rule refuses), and stops once the report is there."""

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prevent_hub.access import Action, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows, shows_many, shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_datetime
from prevent_hub.govuk.forms import add_service_errors

from . import imports, tasks
from .forms import ImportUploadForm
from .models import ImportStatus, ReferralImport

IMPORT = "legacy_import.referralimport"
RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
REFRESH_SECONDS = 2
STATUS_TAGS = {ImportStatus.CHECKING: "govuk-tag--blue", ImportStatus.IMPORTING: "govuk-tag--blue",
               ImportStatus.CHECKED: "govuk-tag--yellow", ImportStatus.REJECTED: "govuk-tag--red",
               ImportStatus.FAILED: "govuk-tag--red", ImportStatus.IMPORTED: "govuk-tag--green"}
COLUMN_HELP = [
    ("external_reference", "the referral's reference in the earlier records; required, unique in the file. "
                           "A reference imported before is skipped, so importing a file again adds nothing"),
    ("received_on", "the date the referral was received; required"),
    ("sector", "sector of referral: education, police, local_authority, health, community, "
               "friends_and_family, prisons, probation or other"),
    ("given_name", "first name"), ("family_name", "last name"),
    ("date_of_birth", "date of birth, if known"),
    ("age_at_referral", "age on the date received, if the date of birth is not known (if both are given "
                        "they must agree)"),
    ("gender", "male, female, other or not_known"),
    ("ethnicity", "white, mixed, asian, black, other or not_known"),
    ("concern", "type of concern, as the national categories name it (see the user guide)"),
    ("gateway_outcome", "no_further_action, signposted, police_led or channel"),
    ("panel_discussed_on", "the date a Channel panel first discussed the case (channel only)"),
    ("adopted_on", "the date the panel adopted the case (channel only)"),
    ("consent", "given, refused, withdrawn or not_sought (adopted cases only)"),
    ("exit_date", "the date the case exited Channel (adopted cases only)"),
    ("mental_health_or_neurodiversity", "yes, no or not_known"),
]


def _crumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def status_text(referral_import: ReferralImport) -> str:
    if referral_import.status == ImportStatus.CHECKING:
        return "Checking"
    if referral_import.status == ImportStatus.CHECKED and not referral_import.file:
        return "Not imported: file deleted after a day"
    return referral_import.get_status_display()


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


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} " + (word if count == 1 else plural or word + "s")


def _tag(referral_import):
    return format_html('<strong class="govuk-tag {}">{}</strong>',
                       STATUS_TAGS.get(referral_import.status, ""), status_text(referral_import))


def _recent_table(recent):
    rows = []
    for referral_import in recent:
        counts = referral_import.counts or {}
        if referral_import.status == ImportStatus.IMPORTED:
            summary = (f"{_n(counts.get('referrals_created', 0), 'referral')} imported, "
                       f"{counts.get('already_imported', 0):,} already imported")
        elif referral_import.status in RUNNING:
            summary = f"{referral_import.processed_rows:,} of {referral_import.total_rows:,} rows checked"
        else:
            summary = (f"{_n(referral_import.total_rows, 'row')}, "
                       f"{counts.get('rows_with_problems', len(referral_import.errors)):,} with problems")
        href = reverse("legacy_import:import", kwargs={"pk": referral_import.pk})
        rows.append([
            {"html": format_html('<a class="govuk-link" href="{}">{}</a>', href, referral_import.file_name)},
            {"text": referral_import.created_by.full_name if referral_import.created_by
             else "manage.py import_referrals"},
            {"text": govuk_datetime(referral_import.created_at)},
            {"html": _tag(referral_import)},
            {"text": summary},
        ])
    return {"caption": "Recent imports", "captionClasses": "govuk-table__caption--m",
            "head": [{"text": "File"}, {"text": "By"}, {"text": "Uploaded"}, {"text": "Status"},
                     {"text": "Rows"}], "rows": rows}


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
                referral_import = imports.referral_import_upload(
                    upload=form.cleaned_data["file"], skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                    acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                tasks.referral_import_check.enqueue(referral_import_id=referral_import.pk)
                return redirect("legacy_import:import", pk=referral_import.pk)
    recent = imports.imports_recent()
    if recent:
        audit_read(action=AuditAction.SEARCH, object_type=IMPORT,
                   details={"list": "recent imports", "shown": len(recent)})
    return render(request, "legacy_import/upload.html", {
        "form": form, "recent_table": _recent_table(recent) if recent else None,
        "breadcrumbs": _crumbs(), "column_help": COLUMN_HELP})


# The size limit has to be in place before anything reads the request body,
# as CSRF checking does: so CSRF is checked after it (Django's documented
# pattern, as on the training import).
_imports_page = csrf_protect(_imports_page_body)


@requires(Action.REFERRALS_IMPORT)
@shows_many(IMPORT, part="recent imports: file names, who uploaded them, counts")
@csrf_exempt
@require_http_methods(["GET", "POST"])
def imports_page(request):
    """Upload a file; the recent imports."""
    if request.method == "POST":
        request.upload_handlers.insert(0, ImportSizeLimit(request))
    return _imports_page(request)


@requires(Action.REFERRALS_IMPORT)
@shows_nothing_personal("an example file of made-up rows")
@require_GET
def example_csv(request):
    return csv_response(imports.COLUMNS, iter(imports.EXAMPLE_ROWS), filename="referral-import-example.csv")


def _import(pk) -> ReferralImport:
    referral_import = imports.import_for(pk=pk)
    if referral_import is None:
        raise Http404("No such import")
    return referral_import


def _progress_text(referral_import, writing: bool) -> str:
    if writing:
        return f"Writing {_n(referral_import.total_rows, 'row')} to the records"
    if not referral_import.total_rows:
        return "Reading the file"
    verb = "Checked again" if referral_import.status == ImportStatus.IMPORTING else "Checked"
    return f"{verb} {referral_import.processed_rows:,} of {_n(referral_import.total_rows, 'row')}"


def _counts_rows(referral_import, counts) -> list:
    if referral_import.status == ImportStatus.IMPORTED:
        pairs = [("Referrals imported", counts.get("referrals_created", 0)),
                 ("Person records added (to identify)", counts.get("people_created", 0)),
                 ("Channel cases opened", counts.get("cases_created", 0)),
                 ("Already imported (nothing changed)", counts.get("already_imported", 0)),
                 ("Rows with problems, skipped", counts.get("rows_with_problems", 0))]
    else:
        pairs = [("Rows in the file", counts.get("rows", referral_import.total_rows)),
                 ("Referrals to import", counts.get("referrals_to_import", 0)),
                 ("Of which Channel cases", counts.get("channel_cases_to_open", 0)),
                 ("Already imported (nothing will change)", counts.get("already_imported", 0)),
                 ("Rows with problems", counts.get("rows_with_problems", 0))]
    return [{"key": {"text": key}, "value": {"text": f"{value:,}"}} for key, value in pairs]


def _reason(error: dict) -> str:
    return (f"Line {error['line']}: " if error["line"] else "") + error["reason"]


def _report_page(request, referral_import, *, refusal=None):
    running = referral_import.status in RUNNING
    errors = referral_import.errors or []
    summary = None
    if errors and referral_import.status != ImportStatus.IMPORTED and not running:
        shown = errors[:10]
        summary = {"titleText": "There is a problem with the file" if len(errors) == 1 else
                   f"There are problems with {len(errors):,} rows of the file",
                   "errorList": [{"text": _reason(error), "href": f"#line-{error['line']}"}
                                 for error in shown]}
        if len(errors) > len(shown):
            summary["descriptionText"] = (f"The first {len(shown)} are listed here; the table below lists "
                                          f"all {len(errors):,}.")
    table = {"caption": "Rows with problems, not imported" if referral_import.status == ImportStatus.IMPORTED
             else "Rows with problems", "captionClasses": "govuk-table__caption--m",
             "firstCellIsHeader": True, "head": [{"text": "Line"}, {"text": "Problem"}],
             "rows": [[{"text": str(error["line"]) if error["line"] else "–",
                        "attributes": {"id": f"line-{error['line']}"}}, {"text": error["reason"]}]
                      for error in errors]} if errors else None
    counts = referral_import.counts or {}
    writing = bool(referral_import.status == ImportStatus.IMPORTING and referral_import.total_rows
                   and referral_import.processed_rows >= referral_import.total_rows)
    to_import = counts.get("referrals_to_import", 0)
    response = render(request, "legacy_import/detail.html", {
        "referral_import": referral_import, "running": running, "writing": writing,
        "progress_text": _progress_text(referral_import, writing),
        "error_summary": summary, "errors_table": table, "counts": counts,
        "form_errors": {"titleText": "There is a problem", "errorList": [
            {"text": message} for message in refusal]} if refusal else None,
        "counts_rows": _counts_rows(referral_import, counts),
        "import_button": f"Import {_n(to_import, 'referral')}" if to_import else "Finish (nothing to add)",
        "panel_text": f"{_n(counts.get('referrals_created', 0), 'referral')} imported",
        "total_rows_text": f"{referral_import.total_rows:,}",
        "can_import": referral_import.status == ImportStatus.CHECKED and bool(referral_import.file),
        "breadcrumbs": _crumbs(("Import referrals", reverse("legacy_import:imports")))},
        status=400 if refusal else 200)
    if running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@requires(Action.REFERRALS_IMPORT)
@shows(IMPORT, part="import report: line numbers, reasons and counts")
@require_GET
def import_page(request, pk):
    return _report_page(request, _import(pk))


@requires(Action.REFERRALS_IMPORT)
@shows(IMPORT, part="import report: line numbers, reasons and counts")
@require_POST
def import_start(request, pk):
    referral_import = _import(pk)
    try:
        begun = imports.referral_import_start(referral_import=referral_import, acting_user=request.user)
    except ValidationError as error:
        return _report_page(request, referral_import, refusal=error.messages)
    if begun:
        tasks.referral_import_run.enqueue(referral_import_id=referral_import.pk,
                                          acting_user_id=request.user.pk)
    return redirect("legacy_import:import", pk=referral_import.pk)
