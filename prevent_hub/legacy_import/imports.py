"""Importing referrals from the council's earlier records (a CSV file), for
`manage.py import_referrals` and the upload page alike
(docs/user-guide/legacy-import.md).

The file: UTF-8 text (a byte order mark and Windows line endings are fine),
its first line naming the COLUMNS in any order (case and spaces in the names
do not matter). Each row is one referral. Every row is checked before
anything is written, and every problem is reported with its line number (the
first line is line 1) and a reason that never repeats what the row says: the
report is kept, the rows are not.

A row whose `external_reference` was imported before is "already imported":
not a problem, and it changes nothing, so importing the same file again
changes nothing. A reference given twice in one file is a problem on the
second line (which of the two is right is for the council to say). By
default it is all or nothing: one bad row and nothing is imported; with
`skip_bad_rows` the good rows are imported and the bad ones listed.

Each good row becomes a referral (referrals.services.referrals_import_many),
a new person record linked to it but never matched or merged with anyone
(people.services.people_create_for_imported: a coordinator identifies them
later), and for rows that went to Channel a case with its consent
(channel.services.cases_import_many), all in one transaction.

Progress, as training imports do it (training.imports): checking runs outside
any transaction and records rows checked every PROGRESS_EVERY rows, each
update committed at once so the import's page sees it; writing is one
transaction, so the page says the rows are being written rather than
counting. The file is checked again just before it is written, since time
passes between the check and the button.
"""

import csv
import datetime
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.channel import services as channel_services
from prevent_hub.core import uploads
from prevent_hub.core.names import neutralise_bidi, tidy
from prevent_hub.people import services as people_services
from prevent_hub.referrals import services as referral_services
from prevent_hub.referrals.models import GatewayOutcome, Referral
from prevent_hub.reporting.categories import age_on, category_problem
from prevent_hub.reporting.models import Dimension

from .models import ImportStatus, ReferralImport

COLUMNS = ("external_reference", "received_on", "sector", "given_name", "family_name", "date_of_birth",
           "age_at_referral", "gender", "ethnicity", "concern", "gateway_outcome", "panel_discussed_on",
           "adopted_on", "consent", "exit_date", "mental_health_or_neurodiversity")
EXAMPLE_ROWS = [
    ("OLD-2021-0001", "2021-05-12", "education", "Testy", "McTestface", "2007-02-01", "", "male", "white",
     "extreme_right_wing", "channel", "2021-06-03", "2021-06-03", "given", "2022-01-20", "no"),
    ("OLD-2022-0002", "2022-11-30", "police", "Example", "Person", "", "19", "female", "not_known",
     "islamist", "no_further_action", "", "", "", "", "not_known"),
    ("OLD-2024-0003", "2024-09-02", "health", "Sample", "Example-Name", "", "", "not_known", "",
     "no_ideology_other_susceptibility", "channel", "2024-10-01", "", "", "", "yes"),
]
MAX_BYTES = settings.LEGACY_IMPORT_MAX_BYTES
PROGRESS_EVERY = 1000
CHUNK = 1000
EARLIEST = datetime.date(2000, 1, 1)
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
OLDEST = 120

# Gateway outcome codes (reporting categories) → what a referral records.
OUTCOMES = {"no_further_action": GatewayOutcome.NO_FURTHER_ACTION, "signposted": GatewayOutcome.SIGNPOSTED,
            "police_led": GatewayOutcome.POLICE_LED, "channel": GatewayOutcome.PROCEED_TO_CHANNEL}
GENDER_WORDS = {"male": "Male", "female": "Female", "other": "Other", "not_known": ""}
# Codes checked against the reporting categories: column → dimension, and
# what the column is called in a reason (never what it holds).
CODED = {"sector": Dimension.SECTOR, "gender": Dimension.GENDER, "ethnicity": Dimension.ETHNICITY,
         "concern": Dimension.CONCERN, "gateway_outcome": Dimension.GATEWAY_OUTCOME,
         "consent": Dimension.CONSENT, "mental_health_or_neurodiversity": Dimension.MENTAL_HEALTH}
WHAT = {"external_reference": "external reference", "received_on": "date received",
        "sector": "sector", "given_name": "first name", "family_name": "last name",
        "date_of_birth": "date of birth", "age_at_referral": "age at referral", "gender": "gender",
        "ethnicity": "ethnicity", "concern": "type of concern", "gateway_outcome": "gateway outcome",
        "panel_discussed_on": "date discussed at panel", "adopted_on": "date adopted",
        "consent": "consent", "exit_date": "exit date",
        "mental_health_or_neurodiversity": "mental health or neurodiversity"}
LONGEST = {"external_reference": Referral._meta.get_field("external_reference").max_length,
           "given_name": 100, "family_name": 100}
CHANNEL_ONLY = ("panel_discussed_on", "adopted_on", "consent", "exit_date")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")

NOT_UTF8 = ("The file is not text saved as UTF-8 (line {line} has characters that are not): in your "
            "spreadsheet, save it as “CSV UTF-8 (comma delimited)” and upload that")
NOT_TEXT = "The file is not a CSV file: it holds characters that are not text (line {line})"
EMPTY = "The file is empty"
NO_ROWS = "The file has no rows under its first line (the column names)"
TOO_MANY = ("The file has more than {limit:,} rows: split it into files of {limit:,} rows or fewer and "
            "import each")
BAD_CSV = "Line {line} cannot be read as CSV (a quotation mark may be missing)"
UNEXPECTED_CELLS = "The line has {found} cells but the first line names {expected} columns"
GONE = "The file is no longer kept (it is deleted a day after it is checked): upload it again"
NEEDS_SOMEONE = ("Channel cases need a named person to open them: import the file from the upload page, "
                 "or run the command with --by and a Prevent coordinator's email address")


def max_rows() -> int:
    return settings.LEGACY_IMPORT_MAX_ROWS


def header_key(name: str) -> str:
    """A column name as matched: case and spaces (or underscores) ignored."""
    return re.sub(r"[\s_]+", "_", name.strip().casefold()).strip("_")


@dataclass
class Row:
    line: int
    external_reference: str
    received_on: datetime.date
    sector: str
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    age: int | None
    gender: str
    ethnicity: str
    concern: str
    outcome: str
    panel_discussed_on: datetime.date | None
    adopted_on: datetime.date | None
    consent: str
    exit_date: datetime.date | None
    mental_health: str

    @property
    def goes_to_channel(self) -> bool:
        return self.outcome == GatewayOutcome.PROCEED_TO_CHANNEL


@dataclass
class Checked:
    """What checking a file found, and what writing it would do."""

    total_rows: int = 0
    # [{"line": n, "reason": "..."}], by line; a problem with the whole file
    # has the line it was found on (1 for the column names).
    errors: list[dict] = field(default_factory=list)
    file_problem: bool = False
    rows: list[Row] = field(default_factory=list)
    already_imported: int = 0
    rows_with_problems: int = 0

    @property
    def good_rows(self) -> int:
        return len(self.rows) + self.already_imported

    @property
    def channel_rows(self) -> int:
        return sum(1 for row in self.rows if row.goes_to_channel)

    def importable(self, *, skip_bad_rows: bool) -> bool:
        """Whether writing would import anything (or find it all imported)."""
        if self.file_problem or not self.good_rows:
            return False
        return skip_bad_rows or not self.errors

    def planned(self) -> dict:
        return {"rows": self.total_rows, "referrals_to_import": len(self.rows),
                "channel_cases_to_open": self.channel_rows, "already_imported": self.already_imported,
                "rows_with_problems": self.rows_with_problems}


# Reading the file ----------------------------------------------------------------


class FileProblem(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def _decoded(data: bytes) -> str:
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileProblem(1, EMPTY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise FileProblem(line, NOT_UTF8.format(line=line)) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise FileProblem(line, NOT_TEXT.format(line=line))
    return text


def read_rows(data: bytes):
    """(column positions, width, [(line, cells)]) of the file; raises FileProblem."""
    reader = csv.reader(io.StringIO(_decoded(data), newline=""))
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise FileProblem(1, EMPTY)
        header_line = reader.line_num
        positions = _columns(header, header_line)
        rows, limit, last = [], max_rows(), reader.line_num
        for cells in reader:
            line, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets save empty rows as ",,,,"
            if len(rows) >= limit:
                raise FileProblem(line, TOO_MANY.format(limit=limit))
            rows.append((line, cells))
    except csv.Error:
        raise FileProblem(reader.line_num or 1, BAD_CSV.format(line=reader.line_num or 1)) from None
    if not rows:
        raise FileProblem(header_line, NO_ROWS)
    return positions, len(header), rows


def _columns(header: list[str], line: int) -> dict[str, int]:
    """Each column's position. Unknown columns are named by position only: a
    file with no header line would otherwise put its first row's personal
    details into the report."""
    positions, problems = {}, []
    for index, name in enumerate(header):
        key = header_key(name)
        if key in COLUMNS and key not in positions:
            positions[key] = index
        elif key in COLUMNS:
            problems.append(f"column {index + 1} repeats the column {key}")
        else:
            problems.append(f"column {index + 1} is not one of them")
    missing = [name for name in COLUMNS if name not in positions]
    if missing:
        problems.insert(0, "the column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
                        + (" are" if len(missing) > 1 else " is") + " missing")
    if problems:
        raise FileProblem(line, "The first line must name the columns " + ", ".join(COLUMNS) + ": "
                          + "; ".join(problems))
    return positions


# Checking ------------------------------------------------------------------------


class Codes:
    """`reporting.categories.category_problem` for many rows, asked as few
    times as it can be. Its answer for a code depends on the day only through
    the day the category came into force: a code accepted on one day is
    accepted on every later day, and one refused on a day is refused on every
    earlier day (with the same reason). So each answer is kept as the
    earliest day a code was accepted and the latest it was refused, and the
    function is asked again only for a day between the two."""

    def __init__(self):
        self.accepted: dict[tuple, datetime.date] = {}
        self.refused: dict[tuple, tuple[datetime.date, str]] = {}

    def problem(self, dimension: str, code: str, on: datetime.date) -> str:
        key = (dimension, code)
        if key in self.accepted and on >= self.accepted[key]:
            return ""
        if key in self.refused and on <= self.refused[key][0]:
            return self.refused[key][1]
        problem = category_problem(dimension, code, on)
        if problem:
            if key not in self.refused or on > self.refused[key][0]:
                self.refused[key] = (on, problem)
        elif key not in self.accepted or on < self.accepted[key]:
            self.accepted[key] = on
        return problem


def _codes_of(dimension: str) -> str:
    from prevent_hub.reporting.models import ReportingCategory

    return ", ".join(ReportingCategory.objects.filter(dimension=dimension).order_by("position")
                     .values_list("code", flat=True))


class RowProblem(Exception):
    pass


def _date(value: str, name: str) -> datetime.date | None:
    if not value:
        return None
    if not ISO_DATE.fullmatch(value):
        raise RowProblem(f"The {WHAT[name]} must be written as year-month-day, like 2023-03-17")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RowProblem(f"The {WHAT[name]} is not a real date") from None


def _row(line: int, value: dict, today: datetime.date, codes: Codes, listed: dict) -> Row:
    """The row, checked on its own; raises RowProblem with the first reason."""
    reference = tidy(value["external_reference"])
    if not reference:
        raise RowProblem("The external reference is missing")
    for name, limit in LONGEST.items():
        if len(tidy(value[name])) > limit:
            raise RowProblem(f"The {WHAT[name]} must be {limit} characters or fewer")
    dates = {name: _date(value[name].strip(), name) for name in
             ("received_on", "date_of_birth", "panel_discussed_on", "adopted_on", "exit_date")}
    received_on = dates["received_on"]
    if received_on is None:
        raise RowProblem("The date received is missing")
    for name, day in dates.items():
        if day is not None and day > today:
            raise RowProblem(f"The {WHAT[name]} must be today or in the past")
        if day is not None and name != "date_of_birth" and day < EARLIEST:
            raise RowProblem(f"The {WHAT[name]} must be in 2000 or later: the import is for records of "
                             "this century")
    born = dates["date_of_birth"]
    if born is not None and born < EARLIEST_BIRTH:
        raise RowProblem("The date of birth must be in 1900 or later")
    if born is not None and born > received_on:
        raise RowProblem("The date of birth must be before the date received")
    if born is not None and age_on(born, received_on) > OLDEST:
        raise RowProblem(f"The date of birth makes the person older than {OLDEST} when referred")
    age_text = value["age_at_referral"].strip()
    age = None
    if age_text:
        if not WHOLE_NUMBER.fullmatch(age_text) or int(age_text) > OLDEST:
            raise RowProblem(f"The age at referral must be a whole number from 0 to {OLDEST}")
        age = int(age_text)
        if born is not None and age_on(born, received_on) != age:
            raise RowProblem("The age at referral does not match the date of birth on the date received: "
                             "give one of them, or correct it")
    elif born is not None:
        age = age_on(born, received_on)

    coded = {}
    for name, dimension in CODED.items():
        code = value[name].strip().casefold()
        if code:
            problem = codes.problem(dimension, code, received_on)
            if problem:
                if dimension not in listed:
                    listed[dimension] = _codes_of(dimension)
                raise RowProblem(f"The {WHAT[name]} {problem}: use one of {listed[dimension]}")
        coded[name] = code
    outcome = OUTCOMES.get(coded["gateway_outcome"], "")
    if outcome != GatewayOutcome.PROCEED_TO_CHANNEL:
        given = [name for name in CHANNEL_ONLY if (dates.get(name) if name != "consent" else coded[name])]
        if given:
            raise RowProblem(f"The {WHAT[given[0]]} must be empty unless the gateway outcome is channel")
    panel, adopted, exited = dates["panel_discussed_on"], dates["adopted_on"], dates["exit_date"]
    if panel is not None and panel < received_on:
        raise RowProblem("The date discussed at panel must be on or after the date received")
    if adopted is not None and adopted < (panel or received_on):
        raise RowProblem("The date adopted must be on or after the date discussed at panel"
                         if panel else "The date adopted must be on or after the date received")
    if exited is not None and adopted is None:
        raise RowProblem("The exit date needs the date adopted: only an adopted case exits")
    if exited is not None and exited < adopted:
        raise RowProblem("The exit date must be on or after the date adopted")
    if coded["consent"] in ("given", "refused", "withdrawn") and adopted is None:
        raise RowProblem("Consent is asked for once the panel adopts a case: give the date adopted, or "
                         "leave consent empty")
    return Row(
        line=line, external_reference=reference, received_on=received_on, sector=coded["sector"],
        given_name=neutralise_bidi(tidy(value["given_name"])),
        family_name=neutralise_bidi(tidy(value["family_name"])), date_of_birth=born, age=age,
        gender=coded["gender"], ethnicity=coded["ethnicity"], concern=coded["concern"], outcome=outcome,
        # An adoption is a panel's decision: adopted on a day, discussed that day at the latest.
        panel_discussed_on=panel or adopted, adopted_on=adopted, consent=coded["consent"], exit_date=exited,
        mental_health=coded["mental_health_or_neurodiversity"])


def _in_chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def check(data: bytes, *, progress: Callable[[int, int], None] | None = None,
          today: datetime.date | None = None) -> Checked:
    """Check every row of `data`; `progress(rows checked, total)` every
    PROGRESS_EVERY rows and at the end. Writes nothing."""
    today = today or timezone.localdate()
    checked = Checked()
    try:
        positions, width, raw = read_rows(data)
    except FileProblem as problem:
        checked.errors = [{"line": problem.line, "reason": problem.reason}]
        checked.file_problem = True
        return checked
    checked.total_rows = total = len(raw)
    if progress:
        progress(0, total)
    problems: dict[int, str] = {}
    parsed: list[Row] = []
    first_line: dict[str, int] = {}
    codes, listed = Codes(), {}
    for number, (line, cells) in enumerate(raw, 1):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, total)
        if len(cells) != width:
            problems[line] = UNEXPECTED_CELLS.format(found=len(cells), expected=width)
            continue
        try:
            row = _row(line, {name: cells[index] for name, index in positions.items()}, today, codes, listed)
        except RowProblem as problem:
            problems[line] = str(problem)
            continue
        key = row.external_reference.casefold()
        if key in first_line:
            problems[line] = f"The external reference is also on line {first_line[key]}: each must be unique"
            continue
        first_line[key] = line
        parsed.append(row)
    if progress and total % PROGRESS_EVERY:
        progress(total, total)

    imported = set()
    for chunk in _in_chunks({row.external_reference for row in parsed}):
        imported.update(Referral.objects.filter(external_reference__in=chunk)
                        .values_list("external_reference", flat=True))
    checked.rows = [row for row in parsed if row.external_reference not in imported]
    checked.already_imported = len(parsed) - len(checked.rows)
    checked.errors = [{"line": line, "reason": reason} for line, reason in sorted(problems.items())]
    checked.rows_with_problems = len(problems)
    return checked


# Writing -------------------------------------------------------------------------


def _phase(phase, text):
    if phase:
        phase(text)


def write(checked: Checked, *, referral_import: ReferralImport, acting_user,
          phase: Callable[[str], None] | None = None) -> dict:
    """Write what `checked` planned, in one transaction, through each app's
    services: the referrals, a new person for each, their place on the
    person's timeline, and the Channel cases. Returns the counts."""
    details = {"referral_import": referral_import.pk}
    with transaction.atomic():
        _phase(phase, f"Creating {len(checked.rows):,} referral(s)")
        referrals = referral_services.referrals_import_many(referrals=[{
            "external_reference": row.external_reference, "received_on": row.received_on,
            "subject_given_name": row.given_name, "subject_family_name": row.family_name,
            "subject_date_of_birth": row.date_of_birth,
            "subject_approximate_age": row.age if row.date_of_birth is None else None,
            "subject_gender": GENDER_WORDS.get(row.gender, ""), "sector": row.sector,
            "concern_type": row.concern, "reported_gender": row.gender, "ethnicity": row.ethnicity,
            "age_at_referral": row.age, "mental_health_or_neurodiversity": row.mental_health,
            "gateway_outcome": row.outcome} for row in checked.rows],
            acting_user=acting_user, details=details)
        _phase(phase, f"Adding {len(referrals):,} person record(s), none matched to anyone")
        people = people_services.people_create_for_imported(referrals=referrals, acting_user=acting_user,
                                                            details=details)
        channel_services.imported_referrals_on_timelines(referrals=referrals, acting_user=acting_user)
        to_channel = [(referral, row) for referral, row in zip(referrals, checked.rows, strict=True)
                      if row.goes_to_channel]
        _phase(phase, f"Opening {len(to_channel):,} Channel case(s)")
        cases = channel_services.cases_import_many(cases=[{
            "referral": referral, "first_discussed_on": row.panel_discussed_on, "adopted_on": row.adopted_on,
            "exit_date": row.exit_date, "consent": row.consent} for referral, row in to_channel],
            acting_user=acting_user, details=details)
        counts = {"referrals_created": len(referrals), "people_created": len(people),
                  "cases_created": len(cases), "already_imported": checked.already_imported,
                  "rows_with_problems": checked.rows_with_problems}
        referral_import.imported_at = timezone.now()
        referral_import.save(update_fields=["imported_at"])
        _finish(referral_import, checked, ImportStatus.IMPORTED, counts=counts)
        audit_event_record(action=AuditAction.UPDATE, obj=referral_import, actor=acting_user,
                           changed_fields=["status", "counts", "imported_at"],
                           details={"status": "imported", **counts})
    return counts


def _finish(referral_import: ReferralImport, checked: Checked, status: str, *, counts: dict | None = None):
    referral_import.status = status
    referral_import.total_rows = checked.total_rows
    referral_import.processed_rows = checked.total_rows
    referral_import.errors = checked.errors
    if counts is not None:
        referral_import.counts = counts
    fields = ["status", "total_rows", "processed_rows", "errors", "counts"]
    if status in (ImportStatus.IMPORTED, ImportStatus.REJECTED, ImportStatus.FAILED):
        referral_import.finished_at = timezone.now()
        fields.append("finished_at")
    if status != ImportStatus.CHECKED and referral_import.file:
        stored = referral_import.file.name
        referral_import.file = ""
        fields.append("file")
        # The file is personal data: gone once it has done its work (after
        # commit, so a rolled-back write keeps it to try again).
        transaction.on_commit(lambda: ReferralImport.file.field.storage.delete(stored), robust=True)
    referral_import.save(update_fields=fields)


# An import's life: uploaded (or given to the command), checked, imported --------


UPLOAD_EMPTY = uploads.EMPTY


def import_for(*, pk: int) -> ReferralImport | None:
    """One import and its report (for those who may import referrals: the
    view's action says so; the report holds no row's contents)."""
    return ReferralImport.objects.select_related("created_by").filter(pk=pk).first()


def imports_recent(limit: int = 20) -> list[ReferralImport]:
    return list(ReferralImport.objects.select_related("created_by")[:limit])


def too_large_message() -> str:
    return uploads.csv_too_large(MAX_BYTES)


def upload_problem(upload) -> str:
    return uploads.csv_upload_problem(upload, max_bytes=MAX_BYTES)


def _created(referral_import: ReferralImport, acting_user):
    audit_event_record(action=AuditAction.CREATE, obj=referral_import, actor=acting_user,
                       changed_fields=["file", "skip_bad_rows"],
                       details={"skip_bad_rows": referral_import.skip_bad_rows})


def referral_import_upload(*, upload, skip_bad_rows: bool, acting_user) -> ReferralImport:
    """Keep an uploaded CSV to be checked (by tasks, in the background),
    under a random name; its own name, without any folders, is kept to show."""
    from prevent_hub.core.uploads import display_name

    problem = upload_problem(upload)
    if problem:
        raise ValidationError({"file": problem}, code="invalid")
    with transaction.atomic():
        referral_import = ReferralImport(file_name=display_name(upload.name), status=ImportStatus.CHECKING,
                                         skip_bad_rows=bool(skip_bad_rows), created_by=acting_user)
        referral_import.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
        try:
            referral_import.save()
            _created(referral_import, acting_user)
        except Exception:
            referral_import.file.delete(save=False)
            raise
    return referral_import


def referral_import_begin(*, file_name: str, skip_bad_rows: bool, acting_user=None) -> ReferralImport:
    """The record of an import given to `manage.py import_referrals` (the
    file stays where it is: nothing to store)."""
    from prevent_hub.core.uploads import display_name

    with transaction.atomic():
        referral_import = ReferralImport.objects.create(
            file_name=display_name(file_name), status=ImportStatus.CHECKING,
            skip_bad_rows=bool(skip_bad_rows), created_by=acting_user)
        _created(referral_import, acting_user)
    return referral_import


def _progress_recorder(referral_import: ReferralImport, also=None):
    """Record rows checked, each update committed at once (see the module
    docstring), and tell `also` too."""
    def record(done: int, total: int):
        ReferralImport.objects.filter(pk=referral_import.pk).update(processed_rows=done, total_rows=total)
        referral_import.processed_rows, referral_import.total_rows = done, total
        if also:
            also(done, total)
    return record


def _data(referral_import: ReferralImport, data: bytes | None) -> bytes | None:
    if data is not None:
        return data
    if not referral_import.file:
        return None
    try:
        with referral_import.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _checked_now(referral_import, data, progress) -> Checked:
    data = _data(referral_import, data)
    if data is None:
        return Checked(errors=[{"line": 0, "reason": GONE}], file_problem=True)
    return check(data, progress=_progress_recorder(referral_import, progress))


def referral_import_check(*, referral_import: ReferralImport, data: bytes | None = None,
                          progress: Callable[[int, int], None] | None = None) -> Checked:
    """Check the import's file and keep the report: ready to import
    (CHECKED), or REJECTED (the file is then deleted) when it would import
    nothing (all or nothing, and a row is bad; or no good rows at all)."""
    checked = _checked_now(referral_import, data, progress)
    ok = checked.importable(skip_bad_rows=referral_import.skip_bad_rows)
    status = ImportStatus.CHECKED if ok else ImportStatus.REJECTED
    with transaction.atomic():
        _finish(referral_import, checked, status, counts=checked.planned())
        audit_event_record(action=AuditAction.UPDATE, obj=referral_import,
                           changed_fields=["status", "errors"], actor=referral_import.created_by,
                           details={"status": str(status), **checked.planned()})
    return checked


def referral_import_start(*, referral_import: ReferralImport, acting_user) -> bool:
    """Begin importing a checked file (tasks do the work). True if this call
    began it; False if it had begun already (a second press of the button
    imports nothing more)."""
    if referral_import.status in (ImportStatus.IMPORTING, ImportStatus.IMPORTED):
        return False
    if referral_import.status != ImportStatus.CHECKED:
        raise ValidationError("This file cannot be imported: correct the rows and upload it again",
                              code="invalid")
    if not referral_import.file:
        raise ValidationError(GONE, code="invalid")
    # One conditional UPDATE: of two presses at once, one moves it on.
    begun = ReferralImport.objects.filter(pk=referral_import.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING, processed_rows=0)
    if begun:
        referral_import.status, referral_import.processed_rows = ImportStatus.IMPORTING, 0
        audit_event_record(action=AuditAction.UPDATE, obj=referral_import, changed_fields=["status"],
                           actor=acting_user, details={"status": "importing"})
    return bool(begun)


def _reject(referral_import, checked, acting_user):
    with transaction.atomic():
        _finish(referral_import, checked, ImportStatus.REJECTED, counts=checked.planned())
        audit_event_record(action=AuditAction.UPDATE, obj=referral_import, changed_fields=["status"],
                           actor=acting_user, details={"status": "rejected", **checked.planned()})


def referral_import_run(*, referral_import: ReferralImport, acting_user, data: bytes | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        phase: Callable[[str], None] | None = None) -> Checked:
    """Check the file again (things may have changed since it was checked)
    and, if it still may be, write it; otherwise keep the new report
    (REJECTED). Returns what the check found; the import says what happened."""
    checked = _checked_now(referral_import, data, progress)
    if not checked.importable(skip_bad_rows=referral_import.skip_bad_rows):
        _reject(referral_import, checked, acting_user)
        return checked
    if acting_user is None and checked.channel_rows:
        checked.errors = [*checked.errors, {"line": 0, "reason": NEEDS_SOMEONE}]
        checked.file_problem = True
        _reject(referral_import, checked, acting_user)
        return checked
    try:
        write(checked, referral_import=referral_import, acting_user=acting_user, phase=phase)
    except Exception:
        # Nothing was written (one transaction): the same reference imported
        # at the same moment by someone else, say. Importing again is safe.
        referral_import.refresh_from_db()
        failed = Checked(total_rows=checked.total_rows, errors=[{"line": 0, "reason": (
            "The import could not be finished, so nothing was imported: upload the file again")}])
        _finish(referral_import, failed, ImportStatus.FAILED, counts={})
        raise
    return checked


def referral_import_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of imports checked but not imported within a day
    (they are personal data); the report stays. An import whose check or
    import never finished (its worker stopped) is marked failed. Returns how
    many files were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=1)
    count = 0
    for referral_import in ReferralImport.objects.filter(
            created_at__lt=cutoff,
            status__in=[ImportStatus.CHECKED, ImportStatus.CHECKING, ImportStatus.IMPORTING],
    ).exclude(file=""):
        with transaction.atomic():
            if referral_import.status == ImportStatus.CHECKED:
                stored = referral_import.file.name
                ReferralImport.objects.filter(pk=referral_import.pk).update(file="")
                transaction.on_commit(lambda stored=stored: ReferralImport.file.field.storage.delete(stored),
                                      robust=True)
            else:
                _finish(referral_import, Checked(total_rows=referral_import.total_rows, errors=[
                    {"line": 0, "reason": "The file could not be checked or imported in time, so nothing "
                                          "was imported: upload it again"}]), ImportStatus.FAILED)
            audit_event_record(action=AuditAction.DELETE, obj=referral_import, changed_fields=["file"],
                               details={"reason": "not imported within a day"})
        count += 1
    return count
