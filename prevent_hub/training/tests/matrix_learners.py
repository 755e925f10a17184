"""Sample URL arguments for the learner, own-record and course pages, for
the URL × role matrix (tests/test_url_role_matrix.py SAMPLE_KWARGS): a
record the requesting user may see (a training lead's own organisation's
learner; their own completion for the own-record pages)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from prevent_hub.training import services

from . import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _certificate():
    return SimpleUploadedFile("fictional-certificate.pdf", PDF, "application/pdf")


def _last_week():
    return timezone.localdate() - datetime.timedelta(days=7)


def learner_kwargs(user) -> dict:
    return {"reference": factories.learner(organisation=user.organisation).reference}


def completion_kwargs(user) -> dict:
    """A completion, with its certificate, of a learner in `user`'s organisation."""
    learner = factories.learner(organisation=user.organisation)
    completion = factories.completed(learner, "prevent-awareness", _last_week(), evidence=_certificate())
    return {"reference": learner.reference, "pk": completion.pk}


def own_completion_kwargs(user) -> dict:
    """A completion, with its certificate, in `user`'s own training record."""
    completion = services.completion_record(
        learner=None, course=factories.course("prevent-awareness"), completed_on=_last_week(),
        evidence=_certificate(), acting_user=user)
    return {"pk": completion.pk}


def course_kwargs(user) -> dict:
    return {"code": "prevent-awareness"}


SAMPLE_KWARGS = {
    **{f"training:{name}": learner_kwargs for name in (
        "learner", "learner-edit", "learner-left", "completion-add")},
    "training:completion-evidence": completion_kwargs,
    "training:completion-remove": completion_kwargs,
    "training:own-evidence": own_completion_kwargs,
    "training:course-edit": course_kwargs,
}
