from .base import attributes, classes, truthy
from .field import described_by, form_group, i18n_attributes, label


def context(params):
    field_id = params.get("id") or params.get("name")
    hint, error, described = described_by(params, field_id)
    input_attributes = attributes({
        "class": classes("govuk-file-upload", params.get("classes"),
                         "govuk-file-upload--error" if truthy(params.get("errorMessage")) else ""),
        "id": field_id,
        "name": params.get("name"),
        "type": "file",
        "disabled": {"value": truthy(params.get("disabled")), "optional": True},
        "multiple": {"value": truthy(params.get("multiple")), "optional": True},
        "aria-describedby": {"value": described, "optional": True},
    }) + attributes(params.get("attributes"))
    wrapper_attributes = None
    if truthy(params.get("javascript")):
        wrapper_attributes = (
            attributes({
                "class": classes("govuk-file-upload-wrapper", params.get("wrapperClasses")),
                "data-module": "govuk-file-upload",
            })
            + i18n_attributes("choose-files-button", params.get("chooseFilesButtonText"))
            + i18n_attributes("no-file-chosen", params.get("noFileChosenText"))
            + i18n_attributes("multiple-files-chosen",
                              messages=params.get("multipleFilesChosenText"))
            + i18n_attributes("drop-instruction", params.get("dropInstructionText"))
            + i18n_attributes("entered-drop-zone", params.get("enteredDropZoneText"))
            + i18n_attributes("left-drop-zone", params.get("leftDropZoneText"))
            + attributes(params.get("wrapperAttributes"))
        )
    return {
        "group": form_group(params),
        "label": label(params, field_id),
        "hint": hint,
        "error": error,
        "input_attributes": input_attributes,
        "wrapper_attributes": wrapper_attributes,
    }
