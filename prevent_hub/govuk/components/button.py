from .base import attributes, classes, js_string, truthy
from .field import content


def context(params):
    is_start = truthy(params.get("isStartButton"))
    common = attributes({
        "class": classes("govuk-button", params.get("classes"),
                         "govuk-button--start" if is_start else ""),
        "data-module": "govuk-button",
    }) + attributes(params.get("attributes"))
    if truthy(params.get("id")):
        common += attributes({"id": params["id"]})
    button = {"type": params.get("type") or "submit"}
    for name in ("value", "name"):
        if truthy(params.get(name)):
            button[name] = params[name]
    if truthy(params.get("disabled")):
        button |= {"disabled": {"value": True, "optional": True}, "aria-disabled": "true"}
    # Nunjucks prints any preventDoubleClick it was given, even false or null.
    if "preventDoubleClick" in params:
        value = params["preventDoubleClick"]
        button["data-prevent-double-click"] = "" if value is None else js_string(value)
    return {
        "href": params.get("href") if truthy(params.get("href")) else None,
        "common_attributes": common,
        "button_attributes": attributes(button) + common,
        "is_start": is_start,
        # Start buttons are flex containers, which drop whitespace between
        # inline elements, so their HTML is wrapped in one span.
        "wrap_html": is_start and truthy(params.get("html")),
        "content": content(params),
    }
