"""The password input is a text input with a show/hide button, so this builds
the input's params the way govuk-frontend's template does."""

from .base import attributes, classes, render
from .field import content, dig, i18n_attributes


def context(params):
    field_id = params.get("id") or params.get("name")
    form_group = dig(params, "formGroup") or {}
    group_attributes = (
        attributes({"data-module": "govuk-password-input"})
        + i18n_attributes("show-password", params.get("showPasswordText"))
        + i18n_attributes("hide-password", params.get("hidePasswordText"))
        + i18n_attributes("show-password-aria-label", params.get("showPasswordAriaLabelText"))
        + i18n_attributes("hide-password-aria-label", params.get("hidePasswordAriaLabelText"))
        + i18n_attributes("password-shown-announcement",
                          params.get("passwordShownAnnouncementText"))
        + i18n_attributes("password-hidden-announcement",
                          params.get("passwordHiddenAnnouncementText"))
        + attributes(form_group.get("attributes"))
    )
    toggle = render("button", {
        "type": "button",
        "classes": classes("govuk-button--secondary govuk-password-input__toggle",
                           "govuk-js-password-input-toggle", dig(params, "button", "classes")),
        "text": params.get("showPasswordText", "Show"),
        "attributes": {
            "aria-controls": field_id,
            "aria-label": params.get("showPasswordAriaLabelText", "Show password"),
            # Shown by the JavaScript, which is what makes the button work.
            "hidden": {"value": True, "optional": True},
        },
    }) + content(form_group.get("afterInput"))
    return {"input": {
        "formGroup": {
            "classes": classes("govuk-password-input", form_group.get("classes")),
            "attributes": group_attributes,
            "beforeInput": form_group.get("beforeInput"),
            "afterInput": {"html": toggle},
        },
        "inputWrapper": {"classes": "govuk-password-input__wrapper"},
        "label": params.get("label"),
        "hint": params.get("hint"),
        "classes": classes("govuk-password-input__input govuk-js-password-input-input",
                           params.get("classes")),
        "errorMessage": params.get("errorMessage"),
        "id": field_id,
        "name": params.get("name"),
        "type": "password",
        "spellcheck": False,
        "autocapitalize": "none",
        "autocomplete": params.get("autocomplete") or "current-password",
        "value": params.get("value"),
        "disabled": params.get("disabled"),
        "describedBy": params.get("describedBy"),
        "attributes": params.get("attributes"),
    }}
