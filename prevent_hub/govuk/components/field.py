"""What every form-field component does around its control: label or legend,
hint and error message, and the aria-describedby that ties them together."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .base import attributes, classes, js_string, truthy


def described_by(params, field_id, start=None):
    """Return (hint params, error params, describedBy) for a field.

    The hint and error ids are appended, in the order GOV.UK Frontend uses (hint
    first, then error), to `start` or, when that is None, to the caller's own
    describedBy. Components that are a group of inputs start from their
    fieldset's describedBy instead.
    """
    described = (params.get("describedBy") if start is None else start) or ""
    hint = error = None
    if truthy(params.get("hint")):
        hint_id = f"{field_id}-hint"
        described = f"{described} {hint_id}" if described else hint_id
        hint = {**_pick(params["hint"], "classes", "attributes", "html", "text"), "id": hint_id}
    if truthy(params.get("errorMessage")):
        error_id = f"{field_id}-error"
        described = f"{described} {error_id}" if described else error_id
        error = {
            **_pick(params["errorMessage"], "classes", "attributes", "html", "text",
                    "visuallyHiddenText"),
            "id": error_id,
        }
    return hint, error, described or None


def label(params, field_id):
    """The label params a single-control component passes on, pointed at its control."""
    source = dig(params, "label") or {}
    return {**_pick(source, "html", "text", "classes", "isPageHeading", "attributes"),
            "for": field_id}


def form_group(params, affix="Input"):
    """The form group div's class and attributes, and the markup the caller asked
    for before and after the control (`beforeInput`, or `beforeInputs` for groups)."""
    group = dig(params, "formGroup") or {}
    return {
        "classes": classes("govuk-form-group",
                           "govuk-form-group--error" if truthy(params.get("errorMessage")) else "",
                           dig(group, "classes")),
        "attributes": attributes(dig(group, "attributes")),
        "before": content(dig(group, f"before{affix}")),
        "after": content(dig(group, f"after{affix}")),
    }


def content(source) -> SafeString:
    """A `{html, text}` pair as markup: trusted html as is, else the text escaped."""
    if not truthy(source) or not isinstance(source, dict):
        return mark_safe("")  # noqa: S308 - empty
    if truthy(source.get("html")):
        return mark_safe(source["html"])  # noqa: S308 - `html` params are trusted by contract
    return escape(text(source.get("text")))


def text(value) -> str:
    """A value as Nunjucks prints it: null and undefined print nothing."""
    return "" if value is None else js_string(value)


def i18n_attributes(key, message=None, messages=None) -> SafeString:
    """Port of govuk-frontend's `govukI18nAttributes`: translations for the
    component's JavaScript, one data attribute per message or plural form."""
    if truthy(messages):
        return attributes({f"data-i18n.{key}.{rule}": text(value) for rule, value in messages.items()})
    if truthy(message):
        return attributes({f"data-i18n.{key}": text(message)})
    return mark_safe("")  # noqa: S308 - empty


def dig(source, *keys):
    """`source.a.b` as Nunjucks looks it up: missing anywhere along the way is None."""
    for key in keys:
        if not isinstance(source, dict):
            return None
        source = source.get(key)
    return source


def _pick(source, *keys):
    return {key: source[key] for key in keys if key in source}
