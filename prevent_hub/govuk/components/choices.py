"""What radios and checkboxes share: an optional fieldset around a hint, an
error message and a list of items, each an input with its label, hint and an
optional conditionally revealed panel."""

from django.template.loader import render_to_string

from .base import attributes, classes, truthy
from .field import described_by, dig, form_group
from .js import contains, loose_equals


def context(params, kind):
    """Context for radios (`kind="radios"`) or checkboxes (`kind="checkboxes"`)."""
    id_prefix = params.get("idPrefix") or params.get("name")
    fieldset = params.get("fieldset")
    has_fieldset = truthy(fieldset)
    if kind == "radios":
        start = dig(fieldset, "describedBy") or ""
    else:
        start = dig(fieldset, "describedBy") or params.get("describedBy") or ""
    hint, error, described = described_by(params, id_prefix, start)
    # Without a fieldset nothing else announces the group's hint and error, so
    # each checkbox points at them itself.
    item_described = described if kind == "checkboxes" and not has_fieldset else None
    items = [
        _item(params, kind, item, index, id_prefix, item_described)
        # Ids number every item, left-out ones included, as loop.index does in
        # govuk-frontend's template.
        for index, item in enumerate(params.get("items") or [], start=1) if truthy(item)
    ]
    inner = render_to_string("govuk/components/parts/choices.html", {
        "kind": kind,
        "hint": hint,
        "error": error,
        "group": form_group(params, affix="Inputs"),
        "attributes": attributes(params.get("attributes")),
        "classes": classes(f"govuk-{kind}", params.get("classes")),
        "items": items,
    })
    return {
        "group": form_group(params),
        "inner": inner,
        "fieldset": {
            "describedBy": described,
            "classes": dig(fieldset, "classes"),
            "attributes": dig(fieldset, "attributes"),
            "legend": dig(fieldset, "legend"),
            "html": inner,
        } if has_fieldset else None,
    }


def _item(params, kind, item, index, id_prefix, group_described):
    if truthy(item.get("divider")):
        return {"divider": item["divider"]}
    # The first id has no suffix so the error summary can link to it.
    item_id = item.get("id") or (f"{id_prefix}-{index}" if index > 1 else id_prefix)
    if kind == "radios":
        chosen = truthy(params.get("value")) and loose_equals(item.get("value"), params["value"])
    else:
        chosen = truthy(params.get("values")) and contains(params["values"], item.get("value"))
    # An item's own `checked: false` beats the field's value.
    checked = truthy(item.get("checked")) or (chosen and item.get("checked") is None)
    has_hint = truthy(dig(item, "hint", "text")) or truthy(dig(item, "hint", "html"))
    hint_id = f"{item_id}-item-hint"
    conditional = dig(item, "conditional", "html")
    conditional_id = f"conditional-{item_id}"
    input_attributes = {
        "class": f"govuk-{kind}__input",
        "id": item_id,
        "name": params.get("name"),
        "type": "radio" if kind == "radios" else "checkbox",
        "value": item.get("value"),
        "checked": {"value": checked, "optional": True},
        "disabled": {"value": truthy(item.get("disabled")), "optional": True},
        "data-aria-controls": {"value": conditional_id if truthy(conditional) else None,
                               "optional": True},
    }
    if kind == "radios":
        item_described = hint_id if has_hint else None
    else:
        input_attributes["name"] = item.get("name") or params.get("name")
        input_attributes["data-behaviour"] = {"value": item.get("behaviour") or None,
                                              "optional": True}
        item_described = " ".join(
            part for part in (group_described, hint_id if has_hint else None) if part)
    input_attributes["aria-describedby"] = {"value": item_described or None, "optional": True}
    return {
        "input_attributes": attributes(input_attributes) + attributes(item.get("attributes")),
        "label": {
            "html": item.get("html"),
            "text": item.get("text"),
            "classes": classes(f"govuk-{kind}__label", dig(item, "label", "classes")),
            "attributes": dig(item, "label", "attributes"),
            "for": item_id,
        },
        "hint": {
            "id": hint_id,
            "classes": classes(f"govuk-{kind}__hint", dig(item, "hint", "classes")),
            "attributes": dig(item, "hint", "attributes"),
            "html": dig(item, "hint", "html"),
            "text": dig(item, "hint", "text"),
        } if has_hint else None,
        "conditional": {
            "id": conditional_id,
            "html": conditional,
            "hidden": not checked,
        } if truthy(conditional) else None,
    }
