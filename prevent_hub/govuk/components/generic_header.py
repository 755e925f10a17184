from .nunjucks import html_or_text, printed


def context(params):
    return {
        "params": params,
        # `_namespace` is govuk-frontend's private option letting the GOV.UK
        # header reuse this markup under its own class prefix.
        "namespace": printed(params.get("_namespace", "govuk-generic")),
        "container_classes": params.get("containerClasses") or "govuk-width-container",
        "url": params.get("url") or "/",
        "logo": html_or_text(params, "logoHtml", "logoText"),
    }
