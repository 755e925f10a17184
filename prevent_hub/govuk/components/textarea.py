from .base import attributes, classes, js_string, truthy
from .field import described_by, form_group, label, text


def context(params):
    field_id = params.get("id") or params.get("name")
    hint, error, described = described_by(params, field_id)
    spellcheck = params.get("spellcheck")
    textarea_attributes = attributes({
        "class": classes("govuk-textarea",
                         "govuk-textarea--error" if truthy(params.get("errorMessage")) else "",
                         params.get("classes")),
        "id": field_id,
        "name": params.get("name"),
        "rows": params.get("rows") or 5,
        "spellcheck": {
            "value": js_string(spellcheck) if spellcheck is True or spellcheck is False else None,
            "optional": True,
        },
        "disabled": {"value": truthy(params.get("disabled")), "optional": True},
        "aria-describedby": {"value": described, "optional": True},
        "autocomplete": {"value": params.get("autocomplete") or None, "optional": True},
    }) + attributes(params.get("attributes"))
    return {
        "group": form_group(params),
        "label": label(params, field_id),
        "hint": hint,
        "error": error,
        "textarea_attributes": textarea_attributes,
        "value": text(params.get("value")),
    }
