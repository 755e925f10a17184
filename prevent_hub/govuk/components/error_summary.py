from .base import truthy
from .nunjucks import html_or_text, length, printed


def context(params):
    has_description = truthy(params.get("descriptionHtml")) or truthy(params.get("descriptionText"))
    return {
        "params": params,
        "disable_auto_focus": (
            printed(params["disableAutoFocus"]) if "disableAutoFocus" in params else None
        ),
        "title": html_or_text(params, "titleHtml", "titleText"),
        "description": (
            html_or_text(params, "descriptionHtml", "descriptionText") if has_description else None
        ),
        "errors": [
            {"href": item.get("href"), "attributes": item.get("attributes"),
             "content": html_or_text(item)}
            for item in params.get("errorList") or []
        ] if length(params.get("errorList")) else None,
    }
