from .base import attributes, classes, js_string
from .field import described_by


def _has(affix):
    return bool(affix) and bool(affix.get("text") or affix.get("html"))


def context(params):
    field_id = params.get("id") or params.get("name")
    hint, error, described = described_by(params, field_id)
    form_group = params.get("formGroup") or {}
    spellcheck = params.get("spellcheck")
    label = params.get("label") or {}
    input_attributes = attributes({
        "class": classes("govuk-input", params.get("classes"),
                         "govuk-input--error" if params.get("errorMessage") else ""),
        "id": field_id,
        "name": params.get("name"),
        "type": params.get("type") or "text",
        "spellcheck": {
            "value": js_string(spellcheck) if spellcheck is True or spellcheck is False else False,
            "optional": True,
        },
        "value": {"value": params.get("value"), "optional": True},
        "disabled": {"value": params.get("disabled"), "optional": True},
        "aria-describedby": {"value": described, "optional": True},
        "autocomplete": {"value": params.get("autocomplete"), "optional": True},
        "autocapitalize": {"value": params.get("autocapitalize"), "optional": True},
        "pattern": {"value": params.get("pattern"), "optional": True},
        "inputmode": {"value": params.get("inputmode"), "optional": True},
    }) + attributes(params.get("attributes"))
    before = form_group.get("beforeInput") or {}
    after = form_group.get("afterInput") or {}
    return {
        "params": params,
        "form_group": form_group,
        "label": {
            "html": label.get("html"), "text": label.get("text"), "classes": label.get("classes"),
            "isPageHeading": label.get("isPageHeading"), "attributes": label.get("attributes"),
            "for": field_id,
        },
        "hint": hint,
        "error": error,
        "input_attributes": input_attributes,
        "prefix": params.get("prefix") if _has(params.get("prefix")) else None,
        "suffix": params.get("suffix") if _has(params.get("suffix")) else None,
        "before": before if _has(before) else None,
        "after": after if _has(after) else None,
    }
