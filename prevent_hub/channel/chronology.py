"""Adding to a case's and a person's timeline.

Every service that records something about a case calls `chronology_record`
inside its own transaction, so the timeline is complete by construction and
reading it is one indexed query.
"""

from django.utils import timezone

from .models import ChronologyEntry, ChronologyKind


def chronology_record(
    *, person_id: int, kind: ChronologyKind, summary: str, recorded_by=None, case=None, obj=None,
    occurred_at=None,
) -> ChronologyEntry:
    """One entry. `summary` says what happened in a line (no special-category
    detail: that stays on `obj`, the record it links to)."""
    return ChronologyEntry.objects.create(**_entry(
        case_id=case.pk if case is not None else None, person_id=person_id, kind=kind,
        summary=summary, recorded_by=recorded_by, obj=obj, occurred_at=occurred_at))


def chronology_record_many(
    *, cases: list[tuple[int, int]], kind: ChronologyKind, summary: str, recorded_by=None, obj=None,
    occurred_at=None,
) -> list[ChronologyEntry]:
    """The same entry on many cases at once, given as (case id, person id)
    pairs: one INSERT (building a panel's agenda puts every case on it)."""
    occurred_at = occurred_at or timezone.now()
    return ChronologyEntry.objects.bulk_create([
        ChronologyEntry(**_entry(case_id=case_id, person_id=person_id, kind=kind, summary=summary,
                                 recorded_by=recorded_by, obj=obj, occurred_at=occurred_at))
        for case_id, person_id in cases
    ])


def _entry(*, case_id, person_id, kind, summary, recorded_by, obj, occurred_at) -> dict:
    return {
        "case_id": case_id,
        "person_id": person_id,
        "occurred_at": occurred_at or timezone.now(),
        "kind": kind,
        "summary": summary[:300],
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "recorded_by": recorded_by,
    }
