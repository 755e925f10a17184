"""The Vulnerability Assessment Framework: its versioned wording, and
assessments of a case written against it.

An assessment is professional judgement in words: for each factor the
evidence and its source, or "not known"; for each dimension a written
judgement by a named author. Nothing here counts, scores, totals or ranks
anything about a person, and nothing may (docs/decisions/0011).

Editing the wording publishes a new framework version (a copy of every
dimension and factor with the edits). An assessment keeps the version it was
written against, so an old assessment always shows the wording it used.
Versions are never deleted.

Services (writes) take keyword arguments and `acting_user`, run in one
transaction and write an audit event with field names only: evidence and
judgements are special-category information and never enter the trail.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_event_record

from .chronology import chronology_record
from .models import (
    Assessment,
    AssessmentKind,
    ChronologyKind,
    DimensionJudgement,
    FactorEvidence,
    Review,
    VafDimension,
    VafFactor,
    VafFramework,
)

COMPLETED_READ_ONLY = (
    "This assessment has been completed and cannot be changed. Record any correction in a case note"
)


# Framework versions ------------------------------------------------------------


def _framework_queryset():
    return VafFramework.objects.select_related("published_by").prefetch_related(
        Prefetch("dimensions", queryset=VafDimension.objects.order_by("position").prefetch_related(
            Prefetch("factors", queryset=VafFactor.objects.order_by("position")))),
    )


def vaf_framework_current() -> VafFramework:
    """The version new assessments use: the highest, with its dimensions and factors."""
    return _framework_queryset().order_by("-version").first()


def vaf_frameworks() -> list[VafFramework]:
    """Every version, newest first (without their wording)."""
    return list(VafFramework.objects.select_related("published_by").order_by("-version"))


def vaf_framework_get(*, version: int) -> VafFramework | None:
    return _framework_queryset().filter(version=version).first()


def vaf_framework_publish(*, changes: dict, notes: str, acting_user, based_on_version: int | None = None
                          ) -> VafFramework:
    """Publish a new version of the wording: a copy of the current version's
    dimensions and factors with `changes` applied.

    `changes` is {"dimensions": {dimension pk: {"name": ...}},
    "factors": {factor pk: {"wording": ..., "guidance": ...}}}, keyed by the
    current version's rows (what is left out stays as it is). Keys (what
    assessments are compared by) never change. `based_on_version`, if given,
    is the version the editor started from: if another one has been published
    since, nothing is published (ValidationError), so no edit is lost silently.
    """
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": "Enter what has changed and why"}, code="notes_needed")
    with transaction.atomic():
        # Lock the newest version's row: two publishers cannot both make the next one.
        newest = VafFramework.objects.select_for_update().order_by("-version").first()
        current = _framework_queryset().get(pk=newest.pk)
        if based_on_version is not None and current.version != based_on_version:
            raise ValidationError(
                f"Version {current.version} was published while you were editing. "
                "Your changes have not been saved: copy them, then start again from the new version",
                code="stale")
        dimension_changes = changes.get("dimensions", {})
        factor_changes = changes.get("factors", {})
        changed_fields = []
        framework = VafFramework.objects.create(
            version=current.version + 1, published_at=timezone.now(), published_by=acting_user,
            notes=notes,
        )
        for dimension in current.dimensions.all():
            name = (dimension_changes.get(dimension.pk, {}).get("name") or dimension.name).strip()
            if name != dimension.name:
                changed_fields.append(f"dimension:{dimension.key}:name")
            copy = VafDimension.objects.create(
                framework=framework, key=dimension.key, name=name, position=dimension.position)
            for factor in dimension.factors.all():
                edits = factor_changes.get(factor.pk, {})
                wording = (edits.get("wording") or factor.wording).strip()
                guidance = edits.get("guidance", factor.guidance).strip()
                if wording != factor.wording:
                    changed_fields.append(f"factor:{factor.key}:wording")
                if guidance != factor.guidance:
                    changed_fields.append(f"factor:{factor.key}:guidance")
                VafFactor.objects.create(dimension=copy, key=factor.key, wording=wording,
                                         guidance=guidance, position=factor.position)
        if not changed_fields:
            raise ValidationError("Change at least one piece of wording, or cancel", code="no_change")
        audit_event_record(
            action=AuditAction.CREATE, obj=framework, changed_fields=changed_fields,
            details={"version": framework.version, "previous_version": current.version},
            actor=acting_user,
        )
    return framework


# Reading assessments ----------------------------------------------------------------


def assessments_for_case(*, case) -> list[Assessment]:
    """Every assessment of `case` (which the caller has already checked the
    user may see), oldest first, with what a list shows."""
    return list(
        Assessment.objects.filter(case=case)
        .select_related("framework", "created_by", "review")
        .order_by("assessed_on", "pk")
    )


def _assessment_queryset():
    return Assessment.objects.select_related("framework", "created_by", "review").prefetch_related(
        Prefetch("framework__dimensions", queryset=VafDimension.objects.order_by("position")
                 .prefetch_related(Prefetch("factors", queryset=VafFactor.objects.order_by("position")))),
        Prefetch("factors", queryset=FactorEvidence.objects.all()),
        Prefetch("judgements", queryset=DimensionJudgement.objects.select_related(
            "author", "author__organisation")),
    )


def assessment_get(*, case, pk: int) -> Assessment | None:
    """One assessment of `case`, with its framework's wording, its entries and
    judgements (a fixed number of queries), or None."""
    return _assessment_queryset().filter(case=case, pk=pk).first()


def assessments_get(*, case, pks) -> dict[int, Assessment]:
    return {a.pk: a for a in _assessment_queryset().filter(case=case, pk__in=list(pks))}


@dataclass
class FactorView:
    factor: VafFactor
    entry: FactorEvidence | None

    @property
    def answered(self) -> bool:
        return factor_entry_complete(self.entry)


@dataclass
class DimensionView:
    dimension: VafDimension
    factors: list[FactorView] = field(default_factory=list)
    judgement: DimensionJudgement | None = None


def assessment_structure(assessment: Assessment) -> list[DimensionView]:
    """The assessment as its own framework version words it: each dimension
    with its factors, each factor with what was recorded (or None)."""
    entries = {entry.factor_id: entry for entry in assessment.factors.all()}
    judgements = {j.dimension_id: j for j in assessment.judgements.all()}
    return [
        DimensionView(
            dimension=dimension,
            factors=[FactorView(factor=f, entry=entries.get(f.pk)) for f in dimension.factors.all()],
            judgement=judgements.get(dimension.pk),
        )
        for dimension in assessment.framework.dimensions.all()
    ]


def factor_entry_complete(entry) -> bool:
    return entry is not None and (entry.not_known or bool(entry.evidence.strip() and entry.source.strip()))


def factor_entry_problem(*, not_known: bool, evidence: str, source: str) -> tuple[str, str] | None:
    """What is wrong with one factor's entry, as (field, message without the
    factor's name), or None. All empty is allowed in a draft."""
    evidence, source = evidence.strip(), source.strip()
    if not_known and (evidence or source):
        return "evidence", "leave the evidence and source empty if it is not known, or untick ‘not known’"
    if evidence and not source:
        return "source", "enter the source of the information"
    if source and not evidence:
        return "evidence", "enter the evidence, or delete the source"
    return None


def assessment_missing(assessment: Assessment) -> list[str]:
    """What must be filled in before the assessment can be completed, in words."""
    missing = []
    for view in assessment_structure(assessment):
        for factor_view in view.factors:
            if not factor_view.answered:
                missing.append(f"{view.dimension.name}: {factor_view.factor.wording}")
        if view.judgement is None:
            missing.append(f"{view.dimension.name}: the judgement on this dimension")
    return missing


# Writing assessments ---------------------------------------------------------------


def _refuse_if_completed(assessment):
    if assessment.completed_at is not None:
        raise ValidationError(COMPLETED_READ_ONLY, code="completed")


def _locked(assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _refuse_if_completed(locked)
    return locked


def assessment_start(*, case, kind: AssessmentKind, assessed_on, acting_user, review: Review | None = None
                     ) -> Assessment:
    """Start a draft assessment of `case` against the current framework version."""
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": "Select when this assessment is being made"}, code="kind")
    if review is not None and review.case_id != case.pk:
        raise ValidationError({"review": "Select a review of this case"}, code="review")
    if review is not None and kind != AssessmentKind.REVIEW:
        raise ValidationError({"review": "Only an assessment at a review can be linked to a review"},
                              code="review")
    if not case.is_open:
        raise ValidationError("This case is closed. You cannot start an assessment", code="closed")
    with transaction.atomic():
        assessment = Assessment.objects.create(
            case=case, framework=vaf_framework_current(), kind=kind, assessed_on=assessed_on,
            review=review, created_by=acting_user, created_at=timezone.now(),
        )
        audit_event_record(
            action=AuditAction.CREATE, obj=assessment,
            changed_fields=["case", "framework", "kind", "assessed_on", "review"],
            details={"case": case.reference, "framework_version": assessment.framework.version},
            actor=acting_user,
        )
    return assessment


def assessment_factors_save(*, assessment: Assessment, dimension: VafDimension, entries: dict,
                            acting_user) -> None:
    """Save what was typed for the factors of one dimension (a draft may leave
    factors empty). `entries` is {factor pk: {"evidence", "source", "not_known"}}.

    ValidationError keyed "factor-<pk>-<field>" for an entry that contradicts
    itself (evidence and "not known"; evidence without its source)."""
    if dimension.framework_id != assessment.framework_id:
        raise ValidationError("That dimension is not part of this assessment's framework", code="dimension")
    factors = {f.pk: f for f in dimension.factors.all()}
    cleaned, errors = {}, {}
    for pk, factor in factors.items():
        typed = entries.get(pk, {})
        not_known = bool(typed.get("not_known"))
        evidence = (typed.get("evidence") or "").strip()
        source = (typed.get("source") or "").strip()
        problem = factor_entry_problem(not_known=not_known, evidence=evidence, source=source)
        if problem:
            errors[f"factor-{pk}-{problem[0]}"] = f"{factor.wording}: {problem[1]}"
        cleaned[pk] = {"not_known": not_known, "evidence": evidence, "source": source}
    if errors:
        raise ValidationError(errors, code="factor_entry")
    with transaction.atomic():
        locked = _locked(assessment)
        existing = {e.factor_id: e for e in FactorEvidence.objects.filter(
            assessment=locked, factor_id__in=factors)}
        changed = set()
        for pk, values in cleaned.items():
            entry = existing.get(pk)
            empty = not (values["not_known"] or values["evidence"] or values["source"])
            if entry is None:
                if empty:
                    continue
                entry = FactorEvidence(assessment=locked, factor_id=pk)
            for name, value in values.items():
                if getattr(entry, name) != value or entry.pk is None:
                    changed.add(name)
                setattr(entry, name, value)
            entry.save()
        if not changed:
            return
        audit_event_record(
            action=AuditAction.UPDATE, obj=locked,
            changed_fields=sorted(f"factors.{name}" for name in changed),
            details={"dimension": dimension.key},
            actor=acting_user,
        )


def assessment_judgement_save(*, assessment: Assessment, dimension: VafDimension, judgement: str,
                              acting_user) -> DimensionJudgement | None:
    """Save the written judgement on one dimension; whoever writes it is its
    named author. An empty judgement removes a draft one (the assessment
    cannot then be completed until one is written)."""
    if dimension.framework_id != assessment.framework_id:
        raise ValidationError("That dimension is not part of this assessment's framework", code="dimension")
    judgement = (judgement or "").strip()
    with transaction.atomic():
        locked = _locked(assessment)
        existing = DimensionJudgement.objects.filter(assessment=locked, dimension=dimension).first()
        if not judgement:
            if existing is None:
                return None
            existing.delete()
            saved = None
        else:
            if existing is not None and existing.judgement == judgement:
                return existing
            saved = existing or DimensionJudgement(assessment=locked, dimension=dimension)
            saved.judgement = judgement
            saved.author = acting_user
            saved.written_at = timezone.now()
            saved.save()
        audit_event_record(
            action=AuditAction.UPDATE, obj=locked,
            changed_fields=["judgements.judgement", "judgements.author", "judgements.written_at"],
            details={"dimension": dimension.key},
            actor=acting_user,
        )
    return saved


def assessment_complete(*, assessment: Assessment, acting_user) -> Assessment:
    """Complete the assessment: every factor answered (evidence and source, or
    not known) and every dimension judged. After this it is read-only."""
    with transaction.atomic():
        locked = _locked(assessment)
        full = _assessment_queryset().get(pk=locked.pk)
        missing = assessment_missing(full)
        if missing:
            raise ValidationError([f"Complete {item}" for item in missing], code="incomplete")
        locked.completed_at = timezone.now()
        locked.save(update_fields=["completed_at"])
        name = acting_user.full_name or acting_user.email
        label = AssessmentKind(locked.kind).label.lower()
        chronology_record(
            case=locked.case, person_id=locked.case.person_id, kind=ChronologyKind.ASSESSMENT, obj=locked,
            summary=f"VAF assessment {label} completed by {name}",
            recorded_by=acting_user, occurred_at=locked.completed_at,
        )
        audit_event_record(
            action=AuditAction.UPDATE, obj=locked, changed_fields=["completed_at"],
            details={"case": locked.case.reference}, actor=acting_user,
        )
    assessment.completed_at = locked.completed_at
    return assessment


# Comparing two assessments -----------------------------------------------------------


@dataclass
class ComparedFactor:
    key: str
    wording_a: str
    wording_b: str
    entry_a: FactorEvidence | None
    entry_b: FactorEvidence | None
    in_a: bool
    in_b: bool

    @property
    def cells(self):
        """(in that version, entry) for the earlier and the later assessment."""
        return [(self.in_a, self.entry_a), (self.in_b, self.entry_b)]

    @property
    def wording_differs(self) -> bool:
        return self.in_a and self.in_b and self.wording_a != self.wording_b


@dataclass
class ComparedDimension:
    key: str
    name_a: str
    name_b: str
    judgement_a: DimensionJudgement | None
    judgement_b: DimensionJudgement | None
    factors: list[ComparedFactor]

    @property
    def name_differs(self) -> bool:
        return bool(self.name_a and self.name_b and self.name_a != self.name_b)


def assessment_compare(a: Assessment, b: Assessment) -> list[ComparedDimension]:
    """Each dimension and factor (matched by key, which never changes between
    versions) with what each assessment recorded, in its own wording."""
    views_a = {v.dimension.key: v for v in assessment_structure(a)}
    views_b = {v.dimension.key: v for v in assessment_structure(b)}
    keys = list(views_b) + [key for key in views_a if key not in views_b]
    compared = []
    for key in keys:
        va, vb = views_a.get(key), views_b.get(key)
        factors_a = {f.factor.key: f for f in va.factors} if va else {}
        factors_b = {f.factor.key: f for f in vb.factors} if vb else {}
        factor_keys = list(factors_b) + [k for k in factors_a if k not in factors_b]
        compared.append(ComparedDimension(
            key=key,
            name_a=va.dimension.name if va else "",
            name_b=vb.dimension.name if vb else "",
            judgement_a=va.judgement if va else None,
            judgement_b=vb.judgement if vb else None,
            factors=[
                ComparedFactor(
                    key=k,
                    wording_a=factors_a[k].factor.wording if k in factors_a else "",
                    wording_b=factors_b[k].factor.wording if k in factors_b else "",
                    entry_a=factors_a[k].entry if k in factors_a else None,
                    entry_b=factors_b[k].entry if k in factors_b else None,
                    in_a=k in factors_a, in_b=k in factors_b,
                )
                for k in factor_keys
            ],
        ))
    return compared

