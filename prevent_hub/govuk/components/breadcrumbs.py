from .base import classes, truthy
from .nunjucks import html_or_text, printed


def context(params):
    return {
        "params": params,
        "classes": classes(
            "govuk-breadcrumbs",
            params.get("classes"),
            "govuk-breadcrumbs--collapse-on-mobile" if truthy(params.get("collapseOnMobile")) else "",
        ),
        "label": printed(params.get("labelText", "Breadcrumb")),
        "items": [
            {"href": item.get("href"), "attributes": item.get("attributes"),
             "content": html_or_text(item)}
            for item in params.get("items") or []
        ],
    }
