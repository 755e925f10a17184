from django.template.loader import render_to_string

from .base import attributes, classes, truthy
from .field import described_by, dig, form_group
from .js import contains, loose_equals

# Nunjucks' `default` filter replaces undefined but keeps null, so a value that
# was never given has to be told apart from one given as None.
_MISSING = object()


def context(params):
    values = params.get("values")

    def part(name, width):
        if name in params:
            return params[name]
        value = values.get(name, _MISSING) if isinstance(values, dict) else _MISSING
        return {"name": name, "value": value, "classes": f"govuk-input--width-{width}"}

    parts = (("day", part("day", 2), 2), ("month", part("month", 2), 2),
             ("year", part("year", 4), 4))
    items = params.get("items") or [given for _, given, _ in parts]
    any_error = any(_has_error(item) for item in items)
    fieldset = params.get("fieldset")
    hint, error, described = described_by(params, params.get("id"),
                                          dig(fieldset, "describedBy") or "")
    inner = render_to_string("govuk/components/parts/date-input.html", {
        "hint": hint,
        "error": error,
        "group": form_group(params, affix="Inputs"),
        "attributes": attributes({
            "class": classes("govuk-date-input", params.get("classes")),
        }) + attributes(params.get("attributes")) + attributes({
            "id": {"value": params.get("id") or None, "optional": True},
        }),
        "items": [_item(params, item, parts, any_error) for item in items if truthy(item)],
    })
    return {
        "group": form_group(params),
        "inner": inner,
        "fieldset": {
            "describedBy": described,
            "classes": dig(fieldset, "classes"),
            # A role of group makes JAWS read the description of a fieldset of
            # text inputs (radios and checkboxes do without: it is too verbose).
            "role": "group",
            "attributes": dig(fieldset, "attributes"),
            "legend": dig(fieldset, "legend"),
            "html": inner,
        } if truthy(fieldset) else None,
    }


def _has_error_class(item):
    item_classes = dig(item, "classes")
    return truthy(item_classes) and contains(item_classes, "govuk-input--error")


def _has_error(item):
    return truthy(dig(item, "error")) or _has_error_class(item)


def _item(params, item, parts, any_error):
    name, value, width = item.get("name"), item.get("value", _MISSING), 2
    # Items are matched to day, month and year by identity or name, so custom
    # names and values given as `day`/`month`/`year` still apply.
    for default_name, given, part_width in parts:
        if item is given or (truthy(name) and contains([default_name, dig(given, "name")], name)):
            name = item.get("name", default_name)
            value = item["value"] if "value" in item else (
                given.get("value", _MISSING) if isinstance(given, dict) else _MISSING)
            width = part_width
            break

    item_classes = item.get("classes")
    # The field's error marks every box unless one box is marked itself.
    group_error = (not loose_equals(item.get("error"), False)
                   and truthy(params.get("errorMessage")) and not any_error)
    extra = []
    if not _has_error_class(item) and (_has_error(item) or group_error):
        extra.append("govuk-input--error")
    if not truthy(item_classes) or not contains(item_classes, "govuk-input--width-"):
        extra.append(f"govuk-input--width-{width}")
    if truthy(item_classes):
        extra.append(item_classes)

    prefix = f"{params['namePrefix']}-" if truthy(params.get("namePrefix")) else ""
    full_name = f"{prefix}{name or ''}"
    if value is _MISSING:
        values = params.get("values")
        value = values.get(full_name) if isinstance(values, dict) else None
    return {
        "label": {
            "text": item.get("label") or (name or "").capitalize(),
            "classes": "govuk-date-input__label",
        },
        "id": item.get("id") or f"{params.get('id')}-{name}",
        "classes": classes("govuk-date-input__input", *extra),
        "name": full_name,
        "value": value,
        "type": "text",
        "inputmode": item.get("inputmode") or "numeric",
        "autocomplete": item.get("autocomplete"),
        "pattern": item.get("pattern"),
        "attributes": item.get("attributes"),
    }
