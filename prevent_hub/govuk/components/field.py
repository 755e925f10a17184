"""What every form-field component does around its control: label or legend,
hint and error message, and the aria-describedby that ties them together."""


def described_by(params, field_id):
    """Return (hint params, error params, describedBy) for a field.

    The hint and error ids are appended to any describedBy the caller gave, in
    the order GOV.UK Frontend uses: hint first, then error.
    """
    described = params.get("describedBy") or ""
    hint = error = None
    if params.get("hint"):
        hint_id = f"{field_id}-hint"
        described = f"{described} {hint_id}" if described else hint_id
        hint = {**_pick(params["hint"], "classes", "attributes", "html", "text"), "id": hint_id}
    if params.get("errorMessage"):
        error_id = f"{field_id}-error"
        described = f"{described} {error_id}" if described else error_id
        error = {
            **_pick(params["errorMessage"], "classes", "attributes", "html", "text",
                    "visuallyHiddenText"),
            "id": error_id,
        }
    return hint, error, described or None


def _pick(source, *keys):
    return {key: source[key] for key in keys if key in source}
