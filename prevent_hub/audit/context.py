"""Who is acting and from where, for the audit events a request writes.

Services record audit events deep inside their transactions without being
handed the request; the middleware makes it available here.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from prevent_hub.core.network import client_ip


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""
    user: object = None
    # Reads waiting to be written as the response leaves (services.audit_read);
    # None outside a request.
    pending: list | None = None
    # Facts added to the details of every event written in this context (the
    # partner API records which token acted: {"api_token": prefix, "via": "api"}).
    details: dict | None = None
    # The page being answered: the part of a record it shows (from its
    # audit.shows declaration) and the records it has recorded a read of, so
    # the middleware adds a view event only where the view wrote none.
    page: dict | None = None


# The default is frozen and holds no list (pending=None), so sharing it is safe.
_current: ContextVar[RequestContext] = ContextVar(
    "audit_request_context", default=RequestContext()  # noqa: B039
)


def current() -> RequestContext:
    return _current.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Shared with SessionMiddleware, which writes them after this context ends.
        request.audit_pending = []
        token = _current.set(RequestContext(
            request_id=getattr(request, "request_id", ""),
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            # PostgreSQL cannot store NUL, which a percent-encoded path can hold.
            path=request.path.replace("\x00", "")[:300],
            user=getattr(request, "user", None),
            pending=request.audit_pending,
            page={"part": "", "viewed": set()},
        ))
        try:
            response = self.get_response(request)
            _audit_the_page(request, response)
            return response
        finally:
            _current.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .shows import view_shows  # loaded with the views, after this module

        declared = view_shows(view_func)
        request.audit_shows = (declared, view_kwargs)
        if declared is not None and declared.record:
            current().page["part"] = declared.part


def _audit_the_page(request, response):
    """A page that shows a record writes its view event; a record URL that
    found nothing is a refused look-up (see audit.shows)."""
    declared, kwargs = getattr(request, "audit_shows", (None, {}))
    if declared is None or not declared.record:
        return
    from . import services  # services imports this module: import on use

    if response.status_code == 200:
        services.audit_page_view(declared, kwargs)
    elif response.status_code == 404 and not declared.many:
        # What was asked for is the client's text: kept short, as the trail's
        # column is (a hostile address can be any length).
        services.audit_refusal(status=404, object_type=declared.record,
                               object_id=str(kwargs.get(declared.kwarg, ""))[:64])


class acting_as:  # noqa: N801 - used like a function: `with acting_as(user):`
    """Set the context outside a request (management commands, tasks, tests)."""

    def __init__(self, user=None, **fields):
        self.context = RequestContext(user=user, **fields)

    def __enter__(self):
        self.token = _current.set(self.context)
        return self.context

    def __exit__(self, *exc):
        _current.reset(self.token)
