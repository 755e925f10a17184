"""A file kept with a record, downloaded: the response, and the download
event naming the record and which of its files it was."""

from django.http import Http404

from prevent_hub.core.uploads import protected_file_response

from .models import AuditAction
from .services import audit_read


def audited_download(record, stored, *, kept_as: str):
    """`stored` (an upload kept with `record`: a model with `file`,
    `original_name` and `content_type`) as a download; 404 if it is None.
    The event's details say which file (`kept_as`: its pk) and its type."""
    if stored is None:
        raise Http404("No such file")
    response = protected_file_response(stored.file, original_name=stored.original_name,
                                       content_type=stored.content_type)
    audit_read(action=AuditAction.DOWNLOAD, obj=record,
               details={kept_as: stored.pk, "content_type": stored.content_type})
    return response
