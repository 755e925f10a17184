from .base import attributes, classes, truthy
from .field import described_by, form_group, label, text
from .js import loose_equals


def context(params):
    field_id = params.get("id") or params.get("name")
    hint, error, described = described_by(params, field_id)
    select_attributes = attributes({
        "class": classes("govuk-select", params.get("classes"),
                         "govuk-select--error" if truthy(params.get("errorMessage")) else ""),
        "id": field_id,
        "name": params.get("name"),
        "disabled": {"value": truthy(params.get("disabled")), "optional": True},
        "aria-describedby": {"value": described, "optional": True},
    }) + attributes(params.get("attributes"))
    return {
        "group": form_group(params),
        "label": label(params, field_id),
        "hint": hint,
        "error": error,
        "select_attributes": select_attributes,
        "options": [_option(item, params.get("value"))
                    for item in params.get("items") or [] if truthy(item)],
    }


def _option(item, selected_value):
    # An option without a value attribute submits its text, so it is selected by it.
    value = item["value"] if "value" in item else item.get("text")
    selected = truthy(item.get("selected")) or (
        truthy(selected_value) and loose_equals(value, selected_value)
        and item.get("selected") is None
    )
    option = {
        "selected": {"value": selected, "optional": True},
        "disabled": {"value": truthy(item.get("disabled")), "optional": True},
    }
    if "value" in item:
        option["value"] = item["value"]
    return {
        "attributes": attributes(option) + attributes(item.get("attributes")),
        "text": text(item.get("text")),
    }
