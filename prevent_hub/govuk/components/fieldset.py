from .base import attributes, classes, truthy
from .field import content, dig


def context(params):
    legend = dig(params, "legend") or {}
    shown = truthy(legend.get("html")) or truthy(legend.get("text"))
    return {
        "fieldset_attributes": attributes({
            "class": classes("govuk-fieldset", params.get("classes")),
            "role": {"value": params.get("role") or None, "optional": True},
            "aria-describedby": {"value": params.get("describedBy") or None, "optional": True},
        }) + attributes(params.get("attributes")),
        "legend": {
            "classes": classes("govuk-fieldset__legend", legend.get("classes")),
            "is_page_heading": truthy(legend.get("isPageHeading")),
            "content": content(legend),
        } if shown else None,
        "html": content({"html": params.get("html")}),
    }
