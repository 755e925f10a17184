"""Every change to training records. Each function takes keyword-only
arguments and the acting user, checks its rules (refusing with a
ValidationError that says why), writes in one transaction with its audit
event inside it (references and field names only), and keeps each learner's
dates (`trained_until`, `referrals_course_until`, `retain_until`) true to
their completions.

The rules a completion must meet are stated once, in `completion_problem`,
so the forms, the spreadsheet import and the API cannot disagree:

- it is not in the future;
- the learner has not already recorded that course on that day;
- a course with a prerequisite (Prevent referrals needs Prevent awareness)
  needs the prerequisite, or a refresher of it, completed on or before the
  same day.

A completion stays in date for its course's refresh period, in calendar
months (core.dates.add_months: 29 February plus two years is 28 February).
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record
from prevent_hub.core.dates import add_months
from prevent_hub.core.email_addresses import canonical_email
from prevent_hub.core.uploads import attachment_check, display_name
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import policy_in_force

from .models import Completion, CompletionSource, Course, Learner

EARLIEST = datetime.date(2000, 1, 1)
LIMITS = {"full_name": 150, "email": 254, "job_role": 150, "certificate_reference": 100}
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def learner_reference_new() -> str:
    """LRN- and eight random letters and digits (no 0/O or 1/I): made before
    the row is written, so thousands of learners can be created at once."""
    return "LRN-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def expires_on(course: Course, completed_on: datetime.date) -> datetime.date:
    """The day a completion of `course` on `completed_on` must be refreshed by."""
    return add_months(completed_on, course.refresh_months)


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _audit(obj, *, action=AuditAction.UPDATE, changed_fields=(), acting_user=None, **details):
    audit_event_record(action=action, obj=obj, actor=acting_user, changed_fields=changed_fields,
                       details=details or None)


# The rules -----------------------------------------------------------------------


def satisfies(course_id: int, prerequisite: Course) -> bool:
    return course_id == prerequisite.pk or course_id in prerequisite_equivalents(prerequisite)


def prerequisite_equivalents(prerequisite: Course) -> set[int]:
    """The courses that meet `prerequisite`: itself and its refreshers."""
    return {prerequisite.pk, *Course.objects.filter(renews=prerequisite).values_list("pk", flat=True)}


def completion_problem(*, course: Course, completed_on: datetime.date | None, earlier: list[tuple],
                       today: datetime.date, meets_prerequisite: set[int] | None = None) -> tuple[str, str]:
    """Why `course` completed on `completed_on` cannot be recorded, as
    (the field at fault, the reason), or ("", "").
    `earlier` is the learner's other completions as (course_id,
    completed_on) pairs; `meets_prerequisite` the course ids that meet the
    course's prerequisite, if the caller has them (an import checks
    thousands of rows with one query)."""
    if completed_on is None:
        return "completed_on", "Enter the date the course was completed"
    if completed_on > today:
        return "completed_on", "The date the course was completed must be today or in the past"
    if completed_on < EARLIEST:
        return "completed_on", f"The date the course was completed must be on or after {EARLIEST:%-d %B %Y}"
    if (course.pk, completed_on) in earlier:
        return "completed_on", f"{course.name} completed on {completed_on:%-d %B %Y} is already recorded"
    prerequisite = course.prerequisite
    if prerequisite is not None:
        meets = meets_prerequisite
        if meets is None:
            meets = prerequisite_equivalents(prerequisite)
        if not any(course_id in meets and day <= completed_on for course_id, day in earlier):
            return "course", (f"{course.name} needs {prerequisite.name} completed first (on or before "
                              f"the same day)")
    return "", ""


def learner_errors(values: dict) -> dict[str, str]:
    errors = {}
    if not values.get("full_name"):
        errors["full_name"] = "Enter the learner's name"
    if not values.get("email"):
        errors["email"] = "Enter the learner's email address"
    else:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if values.get("organisation") is None:
        errors["organisation"] = "Select the learner's organisation"
    for name, limit in LIMITS.items():
        if name in values and len(values[name] or "") > limit:
            errors.setdefault(name, f"This must be {limit} characters or fewer")
    return errors


# Learners' dates -------------------------------------------------------------------


def learner_dates_refresh(learner_ids) -> int:
    """Work out again, from their completions, when each learner's training
    runs out, when their referrals course does (for leads), when they last
    trained and how long their record is kept (from leaving). A few queries
    and one batch of updates whatever the number of learners."""
    learner_ids = list(learner_ids)
    if not learner_ids:
        return 0
    for_leads = Q(course__for_leads=True) | Q(course__renews__for_leads=True)
    dates = {row["learner_id"]: row for row in (
        Completion.objects.filter(learner_id__in=learner_ids).values("learner_id").order_by()
        .annotate(trained_until=Max("expires_on", filter=Q(course__counts_for_compliance=True)),
                  referrals_course_until=Max("expires_on", filter=for_leads),
                  last_completed_on=Max("completed_on")))}
    learners = list(Learner.objects.filter(pk__in=learner_ids).only(
        "pk", "left_on", "created_at", "updated_at", "trained_until", "referrals_course_until",
        "last_completed_on", "retain_until", "retention_policy_id"))
    for learner in learners:
        row = dates.get(learner.pk, {})
        learner.trained_until = row.get("trained_until")
        learner.referrals_course_until = row.get("referrals_course_until")
        learner.last_completed_on = row.get("last_completed_on")
        # Kept while they are in post, however long since they trained: an
        # overdue learner deleted for being overdue would vanish from the
        # very count that shows it. The period runs from leaving.
        if learner.left_on is None:
            learner.retain_until, learner.retention_policy_id = None, None
        else:
            policy = policy_in_force(RecordType.TRAINING_RECORD, learner.left_on)
            learner.retain_until = add_months(learner.left_on, policy.period_months or 0)
            learner.retention_policy_id = policy.pk
    # rows_set rather than bulk_update: see rows_set.
    rows_set(learners, ["trained_until", "referrals_course_until", "last_completed_on", "retain_until",
                        "retention_policy"])
    return len(learners)


# Learners ------------------------------------------------------------------------


LEARNER_FIELDS = ("full_name", "email", "organisation", "job_role", "is_safeguarding_lead",
                  "is_prevent_lead")


def _learner_values(values: dict) -> dict:
    cleaned = {
        "full_name": _text(values.get("full_name")),
        "email": canonical_email(values.get("email") or ""),
        "organisation": values.get("organisation"),
        "job_role": _text(values.get("job_role")),
        "is_safeguarding_lead": bool(values.get("is_safeguarding_lead")),
        "is_prevent_lead": bool(values.get("is_prevent_lead")),
    }
    return cleaned


def learner_create(*, acting_user, **values) -> Learner:
    """Add a learner (matched to their account, if they have one, by email)."""
    from django.contrib.auth import get_user_model

    cleaned = _learner_values(values)
    errors = learner_errors(cleaned)
    if not errors.get("email") and Learner.objects.filter(email=cleaned["email"]).exists():
        errors["email"] = "A learner with this email address is already recorded"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        learner = Learner.objects.create(
            **cleaned, reference=learner_reference_new(), created_by=acting_user,
            user=get_user_model().objects.filter(email=cleaned["email"], learner__isnull=True).first())
        learner_dates_refresh([learner.pk])
        _audit(learner, action=AuditAction.CREATE, acting_user=acting_user,
               changed_fields=[name for name in LEARNER_FIELDS if cleaned.get(name)])
    return learner


def learner_update(*, learner: Learner, acting_user, **values) -> Learner:
    """Correct a learner's details; an email already used by another learner is refused."""
    cleaned = _learner_values(values)
    errors = learner_errors(cleaned)
    if (not errors.get("email")
            and Learner.objects.filter(email=cleaned["email"]).exclude(pk=learner.pk).exists()):
        errors["email"] = "Another learner has this email address"
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        locked = Learner.objects.select_for_update().get(pk=learner.pk)
        changed = [name for name in LEARNER_FIELDS if getattr(locked, name) != cleaned[name]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, cleaned[name])
        locked.save()
        learner_dates_refresh([locked.pk])
        _audit(locked, acting_user=acting_user, changed_fields=changed)
    locked.refresh_from_db()
    return locked


def learner_left(*, learner: Learner, left_on: datetime.date | None, acting_user) -> Learner:
    """Record that a learner has left their organisation (they drop out of
    its compliance; their record is kept for the retention period from then)."""
    today = timezone.localdate()
    if left_on is None:
        raise ValidationError({"left_on": "Enter the date they left"}, code="invalid")
    if left_on > today:
        raise ValidationError({"left_on": "The date they left must be today or in the past"}, code="invalid")
    with transaction.atomic():
        locked = Learner.objects.select_for_update().get(pk=learner.pk)
        locked.left_on = left_on
        locked.save(update_fields=["left_on", "updated_at"])
        learner_dates_refresh([locked.pk])
        _audit(locked, acting_user=acting_user, changed_fields=["left_on"])
    locked.refresh_from_db()
    return locked


def _own_learner_found(user) -> Learner | None:
    return Learner.objects.filter(Q(user=user) | Q(email=canonical_email(user.email))).first()


def own_learner(user) -> Learner:
    """The signed-in user's own learner record, made from their account the
    first time they record a course (an existing record with their email is
    linked to them)."""
    learner = _own_learner_found(user)
    if learner is not None:
        if learner.user_id is None:
            learner.user = user
            learner.save(update_fields=["user", "updated_at"])
        return learner
    learner = Learner.objects.create(
        reference=learner_reference_new(), full_name=user.full_name, email=canonical_email(user.email),
        organisation_id=user.organisation_id, job_role=user.job_title[:150], user=user, created_by=user)
    _audit(learner, action=AuditAction.CREATE, acting_user=user,
           changed_fields=["full_name", "email", "organisation", "job_role"], own=True)
    return learner


# Completions ---------------------------------------------------------------------


def completion_record(*, learner: Learner | None, course: Course | None, completed_on: datetime.date | None,
                      certificate_reference: str = "", evidence=None, acting_user,
                      source: str = CompletionSource.ON_BEHALF) -> Completion:
    """Record that `learner` completed `course` (with its certificate
    reference and, optionally, evidence: a certificate as PDF or image,
    checked by its content). `learner` None means the acting user's own
    record (made from their account if they have none yet)."""
    today = timezone.localdate()
    certificate_reference = _text(certificate_reference)
    errors = {}
    if course is None:
        errors["course"] = "Select the course"
    if len(certificate_reference) > LIMITS["certificate_reference"]:
        errors["certificate_reference"] = "The certificate reference must be 100 characters or fewer"
    content_type = ""
    if evidence is not None:
        try:
            content_type = attachment_check(evidence)
        except ValidationError as error:
            errors["evidence"] = error.messages[0]
    if course is not None and "completed_on" not in errors:
        known = learner if learner is not None else _own_learner_found(acting_user)
        earlier = list(known.completions.values_list("course_id", "completed_on")) if known else []
        field, problem = completion_problem(course=course, completed_on=completed_on, earlier=earlier,
                                            today=today)
        if problem:
            errors[field] = problem
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        if learner is None:
            learner = own_learner(acting_user)
            source = CompletionSource.OWN
            # Checked again now the learner is known: their record may have
            # existed under their email, with completions of its own.
            field, problem = completion_problem(
                course=course, completed_on=completed_on, today=today,
                earlier=list(learner.completions.values_list("course_id", "completed_on")))
            if problem:
                raise ValidationError({field: problem}, code="invalid")
        Learner.objects.select_for_update().filter(pk=learner.pk).first()
        completion = Completion(learner=learner, course=course, completed_on=completed_on,
                                expires_on=expires_on(course, completed_on),
                                certificate_reference=certificate_reference, source=source,
                                recorded_by=acting_user)
        if evidence is not None:
            completion.evidence_name = display_name(evidence.name)
            completion.evidence_content_type = content_type
            completion.evidence.save("evidence", evidence, save=False)
        try:
            completion.save()
        except Exception:
            if evidence is not None:
                completion.evidence.delete(save=False)
            raise
        learner_dates_refresh([learner.pk])
        _audit(completion, action=AuditAction.CREATE, acting_user=acting_user,
               changed_fields=["course", "completed_on", "certificate_reference",
                               *(["evidence"] if evidence is not None else [])],
               learner=learner.reference)
    return completion


def completion_remove(*, completion: Completion, reason: str, acting_user) -> None:
    """Remove a completion recorded by mistake, with the reason (audited).
    Refused while another completion needs it as its prerequisite."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "Enter why the completion is being removed"}, code="invalid")
    if len(reason) > 500:
        raise ValidationError({"reason": "The reason must be 500 characters or fewer"}, code="invalid")
    with transaction.atomic():
        learner = Learner.objects.select_for_update().get(pk=completion.learner_id)
        others = list(learner.completions.exclude(pk=completion.pk).select_related("course__prerequisite"))
        remaining = [(other.course_id, other.completed_on) for other in others]
        for other in others:
            prerequisite = other.course.prerequisite
            if prerequisite is not None and satisfies(completion.course_id, prerequisite):
                meets = prerequisite_equivalents(prerequisite)
                if not any(course_id in meets and day <= other.completed_on for course_id, day in remaining):
                    raise ValidationError(
                        {"reason": f"{other.course.name} on {other.completed_on:%-d %B %Y} needs this "
                                   f"completion as its prerequisite: remove that first"}, code="invalid")
        _audit(completion, action=AuditAction.DELETE, acting_user=acting_user,
               changed_fields=["course", "completed_on"], learner=learner.reference)
        stored = completion.evidence.name if completion.evidence else ""
        completion.delete()
        learner_dates_refresh([learner.pk])
        if stored:
            transaction.on_commit(lambda: completion.evidence.storage.delete(stored), robust=True)


# Courses -------------------------------------------------------------------------


COURSE_FIELDS = ("code", "name", "kind", "description", "refresh_months", "prerequisite", "renews",
                 "counts_for_compliance", "for_leads", "is_active")


def _course_errors(values: dict, course: Course | None) -> dict:
    errors = {}
    others = Course.objects.exclude(pk=course.pk) if course is not None else Course.objects.all()
    if not values.get("name"):
        errors["name"] = "Enter the course's name"
    elif others.filter(name__iexact=values["name"]).exists():
        errors["name"] = "A course with this name already exists"
    if not values.get("code"):
        errors["code"] = "Enter a short code, like prevent-awareness"
    elif others.filter(code=values["code"]).exists():
        errors["code"] = "A course with this code already exists"
    months = values.get("refresh_months")
    if not isinstance(months, int) or not 1 <= months <= 120:
        errors["refresh_months"] = "Enter a refresh period from 1 to 120 months"
    for name in ("prerequisite", "renews"):
        related = values.get(name)
        if related is not None and course is not None:
            seen, step = {course.pk}, related
            while step is not None:
                if step.pk in seen:
                    errors[name] = "A course cannot depend on itself, directly or through other courses"
                    break
                seen.add(step.pk)
                step = getattr(step, name)
    return errors


def course_save(*, course: Course | None = None, acting_user, **values) -> Course:
    """Add a course, or change one. A changed refresh period moves the
    refresh date of every completion of the course, and so its learners'."""
    values = {name: values.get(name) for name in COURSE_FIELDS if name in values}
    for name in ("name", "description"):
        if name in values:
            values[name] = _text(values[name]) if name == "name" else (values[name] or "").strip()
    errors = _course_errors({**({name: getattr(course, name) for name in COURSE_FIELDS} if course else {}),
                             **values}, course)
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        if course is None:
            course = Course.objects.create(**values)
            _audit(course, action=AuditAction.CREATE, acting_user=acting_user, changed_fields=list(values))
            return course
        locked = Course.objects.select_for_update().get(pk=course.pk)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        locked.save()
        if {"refresh_months", "counts_for_compliance", "for_leads", "renews"} & set(changed):
            completions = list(Completion.objects.filter(course=locked).only("pk", "completed_on"))
            for completion in completions:
                completion.expires_on = expires_on(locked, completion.completed_on)
            Completion.objects.bulk_update(completions, ["expires_on"], batch_size=1000)
            learner_dates_refresh({completion.learner_id for completion in
                                   Completion.objects.filter(course=locked).only("learner_id")})
        if changed:
            _audit(locked, acting_user=acting_user, changed_fields=changed)
    return locked




def rows_set(objects, fields) -> int:
    """Write `fields` of many rows of one model: one plain UPDATE per row,
    sent together (executemany). Django's bulk_update builds a CASE over
    every row of its batch for each field, which costs seconds per
    thousand learners in building and running it (benchmarks/
    training_import.py); this costs milliseconds. Like bulk_update, it
    calls no save() and sends no signals."""
    from django.db import connection

    objects = list(objects)
    if not objects:
        return 0
    meta = objects[0]._meta
    columns = [meta.get_field(name) for name in fields]
    sql = (f"UPDATE {connection.ops.quote_name(meta.db_table)} SET "  # noqa: S608 - names from the model
           + ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in columns)
           + f" WHERE {connection.ops.quote_name(meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        for start in range(0, len(objects), 5000):
            cursor.executemany(sql, [
                [*(field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns),
                 obj.pk] for obj in objects[start:start + 5000]])
    return len(objects)
