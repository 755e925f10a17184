"""Writing every stored search key again, after the way keys are made changes
(core.names, core.addresses): the names and addresses of people and the
subjects of referrals.

Run by a data migration when a new way ships, and by `manage.py
rebuild_name_keys`. It takes the model classes to use, so the migration can
pass its historical models. Rows are read in batches by id and only rows
whose keys change are written, with one UPDATE statement run for a batch.
"""

import time
from collections.abc import Callable

from django.db import connection, transaction

from prevent_hub.core.addresses import address_key, address_postcode, normalise_postcode
from prevent_hub.core.names import name_key
from prevent_hub.referrals.subject import subject_name_rows

BATCH = 2000
# Fewer rows than this: not worth a progress report (test databases, demo).
REPORT_FROM = 5000

Progress = Callable[[str, int, int], None]


def progress_printer(write=print, *, every_seconds: float = 2.0) -> Progress:
    """A progress report for a terminal: "Name keys: people 40,000 of 100,000 (40%)",
    at most every `every_seconds`, and always the last."""
    last = {"at": 0.0}

    def report(what: str, done: int, total: int):
        now = time.monotonic()
        if total < REPORT_FROM or (done < total and now - last["at"] < every_seconds):
            return
        last["at"] = now
        write(f"  Name keys: {what} {done:,} of {total:,} ({done * 100 // max(total, 1)}%)")

    return report


def _update(model, columns: list[str], rows: list[tuple]):
    """UPDATE model SET columns… WHERE id = … for each (values…, id) in rows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _batches(queryset, fields):
    """Rows of `queryset` as tuples (id first), BATCH at a time, by id."""
    after = 0
    while True:
        rows = list(queryset.filter(pk__gt=after).order_by("pk").values_list("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _person_names(person_name_model, report):
    total, done = person_name_model.objects.count(), 0
    for rows in _batches(person_name_model.objects.all(), ["given_name", "family_name", "given_key",
                                                            "family_key"]):
        changed = []
        for pk, given, family, given_key, family_key in rows:
            keys = (name_key(given), name_key(family))
            if keys != (given_key, family_key):
                changed.append((*keys, pk))
        _update(person_name_model, ["given_key", "family_key"], changed)
        done += len(rows)
        report("names of people", done, total)


def _people(person_model, report):
    total, done = person_model.objects.count(), 0
    for rows in _batches(person_model.objects.all(), ["address", "postcode", "address_key"]):
        changed = []
        for pk, address, postcode, old_key in rows:
            key, tidy_postcode = address_key(address), normalise_postcode(postcode)
            if (key, tidy_postcode) != (old_key, postcode):
                changed.append((key, tidy_postcode, pk))
        _update(person_model, ["address_key", "postcode"], changed)
        done += len(rows)
        report("people's addresses", done, total)


SUBJECT_FIELDS = ["subject_given_name", "subject_family_name", "subject_other_names", "subject_address",
                  "subject_postcode", "subject_postcode_key", "subject_address_key"]


def _referrals(referral_model, referral_name_model, report):
    total, done = referral_model.objects.count(), 0
    for rows in _batches(referral_model.objects.all(), SUBJECT_FIELDS):
        changed, names = [], []
        for pk, given, family, others, address, postcode, postcode_key, old_address_key in rows:
            keys = (address_postcode(address, postcode), address_key(address))
            if keys != (postcode_key, old_address_key):
                changed.append((*keys, pk))
            subject = referral_model(pk=pk, subject_given_name=given, subject_family_name=family,
                                     subject_other_names=others)
            names.extend(subject_name_rows(subject, model=referral_name_model))
        _update(referral_model, ["subject_postcode_key", "subject_address_key"], changed)
        referral_name_model.objects.filter(referral_id__in=[row[0] for row in rows]).delete()
        referral_name_model.objects.bulk_create(names, batch_size=500)
        done += len(rows)
        report("referrals", done, total)


def rebuild_name_keys(*, person_model, person_name_model, referral_model, referral_name_model,
                      report: Progress | None = None):
    """Write every key again, in one transaction."""
    report = report or (lambda *args: None)
    with transaction.atomic():
        _person_names(person_name_model, report)
        _people(person_model, report)
        _referrals(referral_model, referral_name_model, report)
