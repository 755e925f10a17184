from .base import classes, truthy
from .nunjucks import get, html_or_text, printed


def _action(action):
    if not truthy(action.get("href")) or action.get("type") == "button":
        # Nunjucks passes an option it was not given as undefined, which the
        # button treats as missing; None would not always be the same.
        button = {key: action[key] for key in ("text", "href", "attributes") if key in action}
        return {"button": {
            **button,
            "type": action.get("type") or "button",
            "classes": classes("govuk-button--inverse", action.get("classes")),
        }}
    return {
        "href": printed(action.get("href")),
        "classes": action.get("classes"),
        "attributes": action.get("attributes"),
        "text": printed(action.get("text")),
    }


def context(params):
    interruption = isinstance(params.get("classes"), str) and (
        "govuk-panel--interruption" in params["classes"]
    )
    actions = params.get("actions")
    has_body = truthy(params.get("html")) or truthy(params.get("text"))
    items = get(actions, "items")
    return {
        "params": params,
        # Confirmation is the default variant.
        "modifier": "" if interruption else "govuk-panel--confirmation",
        "heading_level": params.get("headingLevel") or 1,
        "title": html_or_text(params, "titleHtml", "titleText"),
        "body": html_or_text(params) if has_body else None,
        "actions": {
            "classes": actions.get("classes"),
            "attributes": actions.get("attributes"),
            "items": [_action(action) for action in items] if isinstance(items, list) else [],
        } if interruption and truthy(actions) else None,
    }
