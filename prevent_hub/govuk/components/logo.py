"""Port of govuk-frontend's internal `govukLogo` macro (macros/logo.njk): the
crown, and optionally the GOV.UK logotype, shared by the header and footer."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .base import truthy

CROWN_WIDTH = 32
LOGOTYPE_WIDTH = 130


def govuk_logo(params: dict) -> SafeString:
    use_logotype = truthy(params.get("useLogotype", True))
    width = CROWN_WIDTH + (LOGOTYPE_WIDTH if use_logotype else 0)
    html = render_to_string("govuk/macros/logo.html", {
        "params": params,
        "use_logotype": use_logotype,
        "width": width,
        # The viewBox is twice the display size.
        "view_box_width": width * 2,
    })
    return mark_safe(html.strip())  # noqa: S308 - the template escapes every value
