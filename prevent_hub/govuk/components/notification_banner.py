from .base import truthy
from .nunjucks import html_or_text, printed


def _title(params, success):
    if truthy(params.get("titleHtml")) or truthy(params.get("titleText")):
        return html_or_text(params, "titleHtml", "titleText")
    return "Success" if success else "Important"


def context(params):
    success = params.get("type") == "success"
    if params.get("role"):
        role = params["role"]
    elif success:
        # Success banners announce themselves at once to assistive technology.
        role = "alert"
    else:
        # Otherwise the banner is a landmark users can navigate to.
        role = "region"
    return {
        "params": params,
        "type_class": f"govuk-notification-banner--{params['type']}" if success else "",
        "role": role,
        "title_id": params.get("titleId") or "govuk-notification-banner-title",
        "heading_level": params.get("titleHeadingLevel") or 2,
        "title": _title(params, success),
        "disable_auto_focus": (
            printed(params["disableAutoFocus"]) if "disableAutoFocus" in params else None
        ),
        "html": html_or_text(params) if truthy(params.get("html")) else None,
        "text": printed(params["text"]) if truthy(params.get("text")) else None,
    }
