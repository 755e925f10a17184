"""Importing training completions from a spreadsheet (CSV), for
`manage.py import_training` and the upload page alike.

The file: UTF-8 text (a byte order mark and Windows line endings are fine),
its first line naming the columns `name, email, organisation, role, course,
completed_on, certificate_reference` in any order (case and spaces in the
names do not matter). Each row is one completion: the course by its code or
its name, the date as YYYY-MM-DD, the learner matched by email address and
the organisation by name; organisations not yet known are created, and the
report names them.

Every row is checked before anything is written, and every problem is
reported with its line number (the first line is line 1) and a reason that
never repeats what the row says: the report is kept, the rows are not. The
rules a completion meets are `services.completion_problem`'s, so the forms,
the API and the import cannot disagree; the prerequisite rule counts both
completions already recorded and rows of the same file completed on or
before the same day, whatever order the rows are in. A row the service
already has (the same learner, course and day), or a row given twice, is
"already recorded": not a problem, and it changes nothing, so importing the
same file again changes nothing. By default it is all or nothing: one bad
row and nothing is imported. With `skip_bad_rows` the good rows are
imported and the bad ones listed.

Speed: 20,000 rows in well under a minute (benchmarks/training_import.py).
Reading is a handful of queries whatever the size (courses, organisations,
then learners, their completions and accounts by email in chunks of 1,000),
and writing is bulk inserts and updates in batches, one
`learner_dates_refresh` for every learner touched, and the audit events
through `audit_events_record_many` (one event per learner and completion
created or changed, field names only, hashed into the chain in Python and
inserted in batches rather than one round trip each).

Progress. An import is two passes: checking, then writing. Checking runs
outside any transaction and records `processed_rows` every 1,000 rows, each
update committed at once, so another connection (the import's page,
refreshing itself) sees "Checked 4,000 of 20,000 rows" as it goes. Writing is
one transaction, so that all or nothing holds even if the process dies
half-way: progress written inside it would be invisible to every other
connection until the end, and so would be worthless. So the check does all
the slow work (parsing, every rule, every look-up, working out what to
create and update) and the write only inserts what the check planned: it is
the short part, and while it runs the page says the rows are being written
(status IMPORTING with every row checked) rather than pretending to count.
Because time passes between checking an upload and pressing "Import", the
file is checked again, with progress, just before it is written.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from prevent_hub.accounts.models import Organisation, OrganisationType
from prevent_hub.accounts.services import organisations_create_many
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record, audit_events_record_many
from prevent_hub.core import uploads
from prevent_hub.core.email_addresses import canonical_email

from . import selectors, services
from .models import Completion, CompletionSource, Course, ImportStatus, Learner, TrainingImport

COLUMNS = ("name", "email", "organisation", "role", "course", "completed_on", "certificate_reference")
EXAMPLE_ROWS = [
    ("Alex Example-Teacher", "alex.teacher@example.test", "Fictional Primary School (demo)", "Teacher",
     "prevent-awareness", "2025-09-08", "HO-PA-000001"),
    ("Alex Example-Teacher", "alex.teacher@example.test", "Fictional Primary School (demo)", "Teacher",
     "Prevent referrals", "2025-09-15", "HO-PR-000002"),
    ("Sam Sample-Nurse", "sam.nurse@example.test", "Fictional Health Trust (demo)", "School nurse",
     "channel-awareness", "2024-11-30", ""),
]
MAX_BYTES = getattr(settings, "TRAINING_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
PROGRESS_EVERY = 1000
ORGANISATION_NAME_MAX = Organisation._meta.get_field("name").max_length
CHUNK = 1000
BATCH = 1000

# What each column is called in a reason (never what it holds).
WHAT = {"name": "name", "email": "email address", "organisation": "organisation", "role": "role",
        "course": "course", "completed_on": "date completed",
        "certificate_reference": "certificate reference"}
LONGEST = {"name": services.LIMITS["full_name"], "email": services.LIMITS["email"],
           "organisation": ORGANISATION_NAME_MAX, "role": services.LIMITS["job_role"],
           "certificate_reference": services.LIMITS["certificate_reference"]}
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

NOT_UTF8 = ("The file is not text saved as UTF-8 (line {line} has characters that are not): in your "
            "spreadsheet, save it as “CSV UTF-8 (comma delimited)” and upload that")
NOT_TEXT = "The file is not a CSV file: it holds characters that are not text (line {line})"
EMPTY = "The file is empty"
NO_ROWS = "The file has no rows under its first line (the column names)"
TOO_MANY = ("The file has more than {limit:,} rows: split it into files of {limit:,} rows or fewer and "
            "import each")
BAD_CSV = "Line {line} cannot be read as CSV (a quotation mark may be missing)"
UNEXPECTED_CELLS = "The line has {found} cells but the first line names {expected} columns"


def _text(value: str) -> str:
    return " ".join(value.split())


def header_key(name: str) -> str:
    """A column name as matched: case and spaces (or underscores) ignored."""
    return re.sub(r"[\s_]+", "_", name.strip().casefold()).strip("_")


@dataclass
class Row:
    line: int
    full_name: str
    email: str
    organisation: str
    job_role: str
    course: Course
    completed_on: datetime.date
    certificate_reference: str


@dataclass
class Checked:
    """What checking a file found, and what writing it would do."""

    total_rows: int = 0
    # [{"line": n, "reason": "..."}], by line; a problem with the whole
    # file has the line it was found on (1 for the column names).
    errors: list[dict] = field(default_factory=list)
    file_problem: bool = False
    # Rows to write, and rows that change nothing (already recorded, or
    # given twice in the file).
    rows: list[Row] = field(default_factory=list)
    already_recorded: int = 0
    # Good rows already recorded: they still say who the learner is now.
    recorded_rows: list[Row] = field(default_factory=list)
    # Organisation names new to the service (as first written in the file).
    new_organisations: list[str] = field(default_factory=list)
    # Known learners by email (pk and the fields an import may change).
    known: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    rows_with_problems: int = 0

    @property
    def good_rows(self) -> int:
        return len(self.rows) + self.already_recorded

    def importable(self, *, skip_bad_rows: bool) -> bool:
        """Whether writing would import anything (or find it all recorded)."""
        if self.file_problem or not self.good_rows:
            return False
        return skip_bad_rows or not self.errors


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
        raise FileProblem(data[:error.start].count(b"\n") + 1, NOT_UTF8.format(
            line=data[:error.start].count(b"\n") + 1)) from None
    if "\x00" in text:
        raise FileProblem(text[:text.index("\x00")].count("\n") + 1,
                          NOT_TEXT.format(line=text[:text.index("\x00")].count("\n") + 1))
    return text


def read_rows(data: bytes):
    """(column positions, [(line, cells)]) of the file; raises FileProblem."""
    text = _decoded(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise FileProblem(1, EMPTY)
        header_line = reader.line_num
        positions = _columns(header, header_line)
        rows, limit = [], settings.TRAINING_IMPORT_MAX_ROWS
        last = reader.line_num
        for cells in reader:
            line, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets save empty rows as ",,,,,,"
            if len(rows) >= limit:
                raise FileProblem(line, TOO_MANY.format(limit=limit))
            rows.append((line, cells))
    except csv.Error:
        raise FileProblem(reader.line_num or 1, BAD_CSV.format(line=reader.line_num or 1)) from None
    if not rows:
        raise FileProblem(header_line, NO_ROWS)
    return positions, len(header), rows


def _columns(header: list[str], line: int) -> dict[str, int]:
    """Each column's position. Unknown columns are named by position only:
    a file with no header line would otherwise put its first row's
    personal details into the report."""
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


def _date(value: str) -> tuple[datetime.date | None, str]:
    if not value:
        return None, "The date completed is missing"
    if not ISO_DATE.fullmatch(value):
        return None, "The date completed must be written as year-month-day, like 2025-03-17"
    try:
        return datetime.date.fromisoformat(value), ""
    except ValueError:
        return None, "The date completed is not a real date"


def _in_chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def check(data: bytes, *, progress: Callable[[int, int], None] | None = None,
          today: datetime.date | None = None) -> Checked:
    """Check every row of `data` against the rules and what is recorded;
    `progress(rows checked, total)` every PROGRESS_EVERY rows and at the end.
    Writes nothing."""
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

    courses = selectors.course_lookup()
    meets = {}
    for course in {course.pk: course for course in courses.values()}.values():
        meets.setdefault(course.renews_id, set()).add(course.pk)
    meets = {course.pk: {course.pk, *meets.get(course.pk, ())} for course in courses.values()}
    problems: dict[int, str] = {}
    parsed: list[Row] = []
    first_name: dict[str, tuple[str, int]] = {}
    for number, (line, cells) in enumerate(raw, 1):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, total)
        if len(cells) != width:
            problems[line] = UNEXPECTED_CELLS.format(found=len(cells), expected=width)
            continue
        value = {name: cells[index] for name, index in positions.items()}
        reason = _row_problem(value, courses, meets, today)
        if reason:
            problems[line] = reason
            continue
        row = Row(line=line, full_name=_text(value["name"]), email=canonical_email(value["email"]),
                  organisation=_text(value["organisation"]), job_role=_text(value["role"]),
                  course=courses[_text(value["course"]).casefold()],
                  completed_on=datetime.date.fromisoformat(value["completed_on"].strip()),
                  certificate_reference=_text(value["certificate_reference"]))
        named = first_name.setdefault(row.email, (row.full_name.casefold(), line))
        if named[0] != row.full_name.casefold():
            problems[line] = f"The email address is given with a different name on line {named[1]}"
            continue
        parsed.append(row)
    if progress and total % PROGRESS_EVERY:
        progress(total, total)

    _match(checked, parsed, problems, meets, today)
    checked.errors = [{"line": line, "reason": reason} for line, reason in sorted(problems.items())]
    checked.rows_with_problems = len(problems)
    return checked


def _row_problem(value: dict, courses: dict, meets: dict, today) -> str:
    """Why one row's cells are unusable on their own, or ""."""
    for name, what in (("name", "name"), ("email", "email address"), ("organisation", "organisation"),
                       ("course", "course")):
        if not value[name].strip():
            return f"The {what} is missing"
    for name, limit in LONGEST.items():
        text = canonical_email(value[name]) if name == "email" else _text(value[name])
        if len(text) > limit:
            return f"The {WHAT[name]} must be {limit} characters or fewer"
    try:
        validate_email(canonical_email(value["email"]))
    except ValidationError:
        return "The email address is not in the correct format"
    course = courses.get(_text(value["course"]).casefold())
    if course is None:
        return ("The course is not one the service knows: give its code (like prevent-awareness) or its "
                "name, as on the courses page")
    day, problem = _date(value["completed_on"].strip())
    if problem:
        return problem
    # The date rules only: the prerequisite needs the learner's other
    # completions, which are weighed once every row is read.
    where, problem = services.completion_problem(course=course, completed_on=day, earlier=[], today=today,
                                                 meets_prerequisite=meets.get(course.prerequisite_id))
    if where == "completed_on":
        return problem
    return ""


def _depth(course: Course) -> int:
    depth, step = 0, course
    while step.prerequisite is not None and depth < 20:
        depth, step = depth + 1, step.prerequisite
    return depth


def _match(checked: Checked, parsed: list[Row], problems: dict, meets: dict, today):
    """Match rows to what is recorded (learners, completions, organisations),
    drop rows already recorded or given twice, and apply the prerequisite
    rule per learner."""
    emails = {row.email for row in parsed}
    known, recorded = {}, {}
    for chunk in _in_chunks(emails):
        for learner in Learner.objects.filter(email__in=chunk).only(
                "pk", "email", "full_name", "organisation_id", "job_role", "reference"):
            known[learner.email] = learner
        for email, course_id, day in Completion.objects.filter(learner__email__in=chunk).values_list(
                "learner__email", "course_id", "completed_on"):
            recorded.setdefault(email, []).append((course_id, day))
    checked.known = known
    organisations = {}
    for organisation in Organisation.objects.only("pk", "name"):
        organisations.setdefault(organisation.name.casefold(), organisation)

    by_learner: dict[str, list[Row]] = {}
    seen: dict[tuple, Row] = {}
    repeats = []
    for row in parsed:
        key = (row.email, row.course.pk, row.completed_on)
        if key in seen:
            if seen[key].certificate_reference != row.certificate_reference:
                problems[row.line] = (f"The same course on the same day for this email address is on line "
                                      f"{seen[key].line} with a different certificate reference")
            else:
                repeats.append((row, seen[key]))
            continue
        seen[key] = row
        if (row.course.pk, row.completed_on) in recorded.get(row.email, ()):
            checked.already_recorded += 1
            checked.recorded_rows.append(row)
            continue
        by_learner.setdefault(row.email, []).append(row)

    accepted = []
    for email, rows in by_learner.items():
        earlier = list(recorded.get(email, ()))
        pending = sorted(rows, key=lambda row: (row.completed_on, _depth(row.course)))
        reasons = {}
        while pending:
            still = []
            for row in pending:
                _where, problem = services.completion_problem(
                    course=row.course, completed_on=row.completed_on, earlier=earlier, today=today,
                    meets_prerequisite=meets.get(row.course.prerequisite_id))
                if problem:
                    reasons[row.line] = problem
                    still.append(row)
                else:
                    earlier.append((row.course.pk, row.completed_on))
                    accepted.append(row)
            if len(still) == len(pending):
                break
            pending = still
        for row in pending:
            problems[row.line] = reasons[row.line]
    for row, first in repeats:
        if first.line in problems:  # a repeat of a bad row is as bad
            problems[row.line] = problems[first.line]
        else:
            checked.already_recorded += 1
    accepted.sort(key=lambda row: row.line)
    checked.rows = accepted
    new = {}
    for row in [*accepted, *checked.recorded_rows]:
        key = row.organisation.casefold()
        if key not in organisations and key not in new:
            new[key] = row.organisation
    checked.new_organisations = sorted(new.values(), key=str.casefold)
    checked.organisations = organisations



# Writing -------------------------------------------------------------------------


COUNTS = ("learners_created", "learners_updated", "completions_created", "completions_already_recorded",
          "organisations_created", "rows_with_problems")


def _phase(progress, text):
    if progress:
        progress(text)


def write(checked: Checked, *, training_import: TrainingImport, acting_user,
          phase: Callable[[str], None] | None = None) -> dict:
    """Write what `checked` planned, in one transaction: organisations new
    to the service, learners new and changed, completions, their audit
    events, then every touched learner's dates once. Returns the counts.
    Call straight after `check`, so what it read is still true."""
    now = timezone.now()
    with transaction.atomic():
        _phase(phase, f"Creating {len(checked.new_organisations):,} organisation(s)")
        details = {"training_import": training_import.pk}
        organisations = dict(checked.organisations)
        for organisation in organisations_create_many(
                names=checked.new_organisations, type=OrganisationType.OTHER, acting_user=acting_user,
                details=details):
            organisations[organisation.name.casefold()] = organisation

        # Who each learner is now: their last good row in the file.
        latest: dict[str, Row] = {}
        for row in sorted([*checked.rows, *checked.recorded_rows], key=lambda row: row.line):
            latest[row.email] = row
        new_emails = [email for email in latest if email not in checked.known]
        accounts = {}
        users = get_user_model().objects.filter(learner__isnull=True)
        for chunk in _in_chunks(new_emails):
            accounts.update(users.filter(email__in=chunk).values_list("email", "pk"))

        _phase(phase, f"Adding {len(new_emails):,} learner(s)")
        created = Learner.objects.bulk_create([
            Learner(reference=services.learner_reference_new(), full_name=latest[email].full_name,
                    email=email, organisation=organisations[latest[email].organisation.casefold()],
                    job_role=latest[email].job_role, user_id=accounts.get(email), created_by=acting_user)
            for email in new_emails], batch_size=BATCH)
        events = [{"action": AuditAction.CREATE, "obj": learner, "details": details,
                   "changed_fields": ["full_name", "email", "organisation", *(["job_role"] if learner.job_role
                                                                              else [])]}
                  for learner in created]

        changed = []
        for email, learner in checked.known.items():
            row = latest.get(email)
            if row is None:
                continue
            wanted = {"full_name": row.full_name,
                      "organisation_id": organisations[row.organisation.casefold()].pk,
                      # An empty role in the file leaves the recorded role as it is.
                      "job_role": row.job_role or learner.job_role}
            fields = [name for name, value in wanted.items() if getattr(learner, name) != value]
            if fields:
                for name in fields:
                    setattr(learner, name, wanted[name])
                learner.updated_at = now
                changed.append((learner, fields))
        _phase(phase, f"Updating {len(changed):,} learner(s)")
        Learner.objects.bulk_update([learner for learner, _ in changed],
                                    ["full_name", "organisation", "job_role", "updated_at"], batch_size=BATCH)
        events += [{"action": AuditAction.UPDATE, "obj": learner, "details": details,
                    "changed_fields": [name.removesuffix("_id") for name in fields]}
                   for learner, fields in changed]

        _phase(phase, f"Recording {len(checked.rows):,} completion(s)")
        learner_ids = {learner.email: learner.pk for learner in created}
        learner_ids.update({email: learner.pk for email, learner in checked.known.items()})
        references = {learner.pk: learner.reference for learner in [*created, *checked.known.values()]}
        completions = Completion.objects.bulk_create([
            Completion(learner_id=learner_ids[row.email], course=row.course, completed_on=row.completed_on,
                       expires_on=services.expires_on(row.course, row.completed_on),
                       certificate_reference=row.certificate_reference, source=CompletionSource.IMPORT,
                       training_import=training_import, recorded_by=acting_user)
            for row in checked.rows], batch_size=BATCH)
        events += [{"action": AuditAction.CREATE, "obj": completion,
                    "changed_fields": ["course", "completed_on", "certificate_reference"]
                    if completion.certificate_reference else ["course", "completed_on"],
                    "details": {**details, "learner": references[completion.learner_id]}}
                   for completion in completions]

        _phase(phase, f"Writing {len(events):,} audit event(s)")
        audit_events_record_many(events, actor=acting_user)
        touched = {learner.pk for learner in created} | {learner.pk for learner, _ in changed} | {
            completion.learner_id for completion in completions}
        _phase(phase, f"Working out refresh dates for {len(touched):,} learner(s)")
        services.learner_dates_refresh(touched)

        counts = {"learners_created": len(created), "learners_updated": len(changed),
                  "completions_created": len(completions),
                  "completions_already_recorded": checked.already_recorded,
                  "organisations_created": len(checked.new_organisations),
                  "rows_with_problems": checked.rows_with_problems}
        _finish(training_import, checked, ImportStatus.IMPORTED, counts=counts)
        audit_event_record(action=AuditAction.UPDATE, obj=training_import, actor=acting_user,
                           changed_fields=["status", "counts"], details={"status": "imported", **counts})
    return counts


def _finish(training_import: TrainingImport, checked: Checked, status: str, *, counts: dict | None = None):
    training_import.status = status
    training_import.total_rows = checked.total_rows
    training_import.processed_rows = checked.total_rows
    training_import.errors = checked.errors
    training_import.new_organisations = checked.new_organisations
    if counts is not None:
        training_import.counts = counts
    fields = ["status", "total_rows", "processed_rows", "errors", "new_organisations", "counts"]
    if status in (ImportStatus.IMPORTED, ImportStatus.REJECTED, ImportStatus.FAILED):
        training_import.finished_at = timezone.now()
        fields.append("finished_at")
    if status != ImportStatus.CHECKED and training_import.file:
        stored = training_import.file.name
        training_import.file = ""
        fields.append("file")
        # The file is personal data: gone once it has done its work (after
        # commit, so a rolled-back write keeps it to try again).
        transaction.on_commit(lambda: TrainingImport.file.field.storage.delete(stored), robust=True)
    training_import.save(update_fields=fields)


# An import's life: uploaded (or given to the command), checked, imported --------


UPLOAD_EMPTY = uploads.EMPTY


def import_for(*, pk: int) -> TrainingImport | None:
    """One import and its report (for training administrators only: the
    view's action says so; the report holds no row's contents)."""
    return TrainingImport.objects.select_related("uploaded_by").filter(pk=pk).first()


def too_large_message() -> str:
    return uploads.csv_too_large(MAX_BYTES)


def upload_problem(upload) -> str:
    return uploads.csv_upload_problem(upload, max_bytes=MAX_BYTES)


def _created(training_import: TrainingImport, acting_user):
    audit_event_record(action=AuditAction.CREATE, obj=training_import, actor=acting_user,
                       changed_fields=["file", "skip_bad_rows"],
                       details={"skip_bad_rows": training_import.skip_bad_rows})


def training_import_upload(*, upload, skip_bad_rows: bool, acting_user) -> TrainingImport:
    """Keep an uploaded CSV to be checked (by import_tasks, in the
    background). The file is stored under a random name; its own name,
    without any folders, is kept to show."""
    import uuid

    from prevent_hub.core.uploads import display_name

    problem = upload_problem(upload)
    if problem:
        raise ValidationError({"file": problem}, code="invalid")
    with transaction.atomic():
        training_import = TrainingImport(file_name=display_name(upload.name), status=ImportStatus.CHECKING,
                                         skip_bad_rows=bool(skip_bad_rows), uploaded_by=acting_user)
        training_import.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
        try:
            training_import.save()
            _created(training_import, acting_user)
        except Exception:
            training_import.file.delete(save=False)
            raise
    return training_import


def training_import_begin(*, file_name: str, skip_bad_rows: bool, acting_user=None) -> TrainingImport:
    """The record of an import given to `manage.py import_training` (the
    file stays where it is: nothing to store)."""
    from prevent_hub.core.uploads import display_name

    with transaction.atomic():
        training_import = TrainingImport.objects.create(
            file_name=display_name(file_name), status=ImportStatus.CHECKING,
            skip_bad_rows=bool(skip_bad_rows), uploaded_by=acting_user)
        _created(training_import, acting_user)
    return training_import


def _progress_recorder(training_import: TrainingImport, also=None):
    """Record rows checked on the import, each update committed at once
    (see the module docstring), and tell `also` too."""
    def record(done: int, total: int):
        TrainingImport.objects.filter(pk=training_import.pk).update(processed_rows=done, total_rows=total)
        training_import.processed_rows, training_import.total_rows = done, total
        if also:
            also(done, total)
    return record


def _data(training_import: TrainingImport, data: bytes | None) -> bytes | None:
    if data is not None:
        return data
    if not training_import.file:
        return None
    try:
        with training_import.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


GONE = "The file is no longer kept (it is deleted a day after it is checked): upload it again"


def _planned(checked: Checked) -> dict:
    return {"rows": checked.total_rows, "completions_to_record": len(checked.rows),
            "completions_already_recorded": checked.already_recorded,
            "rows_with_problems": checked.rows_with_problems,
            "organisations_to_create": len(checked.new_organisations)}


def training_import_check(*, training_import: TrainingImport, data: bytes | None = None,
                          progress: Callable[[int, int], None] | None = None) -> Checked:
    """Check the import's file and keep the report: ready to import
    (CHECKED), or REJECTED (the file is then deleted) when it would import
    nothing (all or nothing, and a row is bad; or no good rows at all)."""
    data = _data(training_import, data)
    if data is None:
        checked = Checked(errors=[{"line": 0, "reason": GONE}], file_problem=True)
    else:
        checked = check(data, progress=_progress_recorder(training_import, progress))
    ok = checked.importable(skip_bad_rows=training_import.skip_bad_rows)
    status = ImportStatus.CHECKED if ok else ImportStatus.REJECTED
    with transaction.atomic():
        _finish(training_import, checked, status, counts=_planned(checked))
        audit_event_record(action=AuditAction.UPDATE, obj=training_import,
                           changed_fields=["status", "errors"], actor=training_import.uploaded_by,
                           details={"status": str(status), **_planned(checked)})
    return checked


def training_import_start(*, training_import: TrainingImport, acting_user) -> bool:
    """Begin importing a checked file (import_tasks does the work). True if
    this call began it; False if it had begun already (a second press of
    the button imports nothing more)."""
    if training_import.status in (ImportStatus.IMPORTING, ImportStatus.IMPORTED):
        return False
    if training_import.status != ImportStatus.CHECKED:
        raise ValidationError("This file cannot be imported: correct the rows and upload it again",
                              code="invalid")
    if not training_import.file:
        raise ValidationError(GONE, code="invalid")
    # One conditional UPDATE: of two presses at once, one moves it on.
    begun = TrainingImport.objects.filter(pk=training_import.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING, processed_rows=0)
    if begun:
        training_import.status, training_import.processed_rows = ImportStatus.IMPORTING, 0
        audit_event_record(action=AuditAction.UPDATE, obj=training_import, changed_fields=["status"],
                           actor=acting_user, details={"status": "importing"})
    return bool(begun)


def training_import_run(*, training_import: TrainingImport, acting_user, data: bytes | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        phase: Callable[[str], None] | None = None) -> Checked:
    """Check the file again (things may have changed since it was checked)
    and, if it still may be, write it; otherwise keep the new report
    (REJECTED). Returns what the check found; the import says what happened."""
    data = _data(training_import, data)
    if data is None:
        checked = Checked(errors=[{"line": 0, "reason": GONE}], file_problem=True)
    else:
        checked = check(data, progress=_progress_recorder(training_import, progress))
    if not checked.importable(skip_bad_rows=training_import.skip_bad_rows):
        with transaction.atomic():
            _finish(training_import, checked, ImportStatus.REJECTED, counts=_planned(checked))
            audit_event_record(action=AuditAction.UPDATE, obj=training_import, changed_fields=["status"],
                               actor=acting_user, details={"status": "rejected", **_planned(checked)})
        return checked
    try:
        write(checked, training_import=training_import, acting_user=acting_user, phase=phase)
    except Exception:
        # Nothing was written (one transaction). Someone recording the same
        # learner at the same moment, say: importing again is safe.
        training_import.refresh_from_db()
        failed = Checked(total_rows=checked.total_rows, errors=[{"line": 0, "reason": (
            "The import could not be finished, so nothing was imported: upload the file again")}])
        _finish(training_import, failed, ImportStatus.FAILED, counts={})
        raise
    return checked


def training_import_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of imports checked but not imported within a day
    (they are personal data); the report stays. An import whose check or
    import never finished (its worker stopped) is marked failed. Returns
    how many files were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=1)
    count = 0
    for training_import in TrainingImport.objects.filter(
            uploaded_at__lt=cutoff,
            status__in=[ImportStatus.CHECKED, ImportStatus.CHECKING, ImportStatus.IMPORTING],
    ).exclude(file=""):
        with transaction.atomic():
            if training_import.status == ImportStatus.CHECKED:
                stored = training_import.file.name
                TrainingImport.objects.filter(pk=training_import.pk).update(file="")
                transaction.on_commit(lambda stored=stored: TrainingImport.file.field.storage.delete(stored),
                                      robust=True)
            else:
                _finish(training_import, Checked(total_rows=training_import.total_rows, errors=[
                    {"line": 0, "reason": "The file could not be checked or imported in time, so nothing "
                                          "was imported: upload it again"}]), ImportStatus.FAILED)
            audit_event_record(action=AuditAction.DELETE, obj=training_import, changed_fields=["file"],
                               details={"reason": "not imported within a day"})
        count += 1
    return count
