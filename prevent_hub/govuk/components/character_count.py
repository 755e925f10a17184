"""The character count is a textarea with a live count message, so this builds
the textarea's params the way govuk-frontend's template does."""

from .base import attributes, classes, js_string, render, truthy
from .field import content, dig, i18n_attributes


def context(params):
    maxlength, maxwords = params.get("maxlength"), params.get("maxwords")
    count_type = params.get("countType") or ("words" if truthy(maxwords) else None)
    has_limit = truthy(maxwords) or truthy(maxlength)
    description = params.get("textareaDescriptionText") or (
        "You can enter up to %{count} " + ("words" if count_type == "words" else "characters")
    )
    field_id = params.get("id") or params.get("name")
    form_group = dig(params, "formGroup") or {}

    message = {
        "id": f"{field_id}-info",
        "classes": classes("govuk-character-count__message",
                           dig(params, "countMessage", "classes")),
    }
    # Without a limit the message is only known once JavaScript configures one.
    if has_limit:
        message["text"] = description.replace("%{count}", js_string(maxwords or maxlength))
    count_message = render("hint", message) + content(form_group.get("afterInput"))

    group_attributes = attributes({
        "data-module": "govuk-character-count",
        "data-maxlength": {"value": maxlength, "optional": True},
        "data-maxwords": {"value": maxwords, "optional": True},
        "data-threshold": {"value": params.get("threshold"), "optional": True},
        "data-count-type": {"value": count_type or None, "optional": True},
    })
    if not has_limit and truthy(params.get("textareaDescriptionText")):
        group_attributes += i18n_attributes(
            "textarea-description", messages={"other": params["textareaDescriptionText"]})
    for key, option, plural in (
        ("characters-under-limit", "charactersUnderLimitText", True),
        ("characters-at-limit", "charactersAtLimitText", False),
        ("characters-over-limit", "charactersOverLimitText", True),
        ("words-under-limit", "wordsUnderLimitText", True),
        ("words-at-limit", "wordsAtLimitText", False),
        ("words-over-limit", "wordsOverLimitText", True),
    ):
        if plural:
            group_attributes += i18n_attributes(key, messages=params.get(option))
        else:
            group_attributes += i18n_attributes(key, params.get(option))
    group_attributes += attributes(form_group.get("attributes"))

    return {"textarea": {
        "id": field_id,
        "name": params.get("name"),
        "describedBy": f"{field_id}-info",
        "rows": params.get("rows"),
        "spellcheck": params.get("spellcheck"),
        "value": params.get("value"),
        "formGroup": {
            "classes": classes("govuk-character-count", form_group.get("classes")),
            "attributes": group_attributes,
            "beforeInput": form_group.get("beforeInput"),
            "afterInput": {"html": count_message},
        },
        "classes": classes("govuk-js-character-count", params.get("classes")),
        "label": {**(dig(params, "label") or {}), "for": field_id},
        "hint": params.get("hint"),
        "errorMessage": params.get("errorMessage"),
        "attributes": params.get("attributes"),
    }}
