from .base import truthy
from .logo import govuk_logo
from .nunjucks import html_or_text, length, printed


def _link(item):
    return {
        "href": printed(item.get("href")),
        "text": printed(item.get("text")),
        "attributes": item.get("attributes"),
    }


def _section(nav):
    columns = nav.get("columns")
    return {
        "title": printed(nav.get("title")),
        "width": nav.get("width") or "full",
        "list_classes": f"govuk-footer__list--columns-{printed(columns)}" if truthy(columns) else "",
        "has_items": length(nav.get("items")) > 0,
        "items": [_link(item) for item in nav.get("items") or []
                  if item.get("href") and item.get("text")],
    }


def _content(item):
    """The item's html or text, or None when it has neither (so the default shows)."""
    if item and (truthy(item.get("html")) or truthy(item.get("text"))):
        return html_or_text(item)
    return None


def context(params):
    meta = params.get("meta")
    # Our own opt-in (govuk-frontend's fixtures never pass it): a service that
    # is not on GOV.UK shows its organisation's copyright line, and neither
    # the crown nor the royal coat of arms, which are reserved for GOV.UK.
    organisation = params.get("organisationCopyright")
    return {
        "params": params,
        "crown": None if organisation else govuk_logo({"classes": "govuk-footer__crown",
                                                       "useLogotype": False}),
        "organisation_copyright": _content(organisation) if organisation else None,
        "organisation_copyright_href": printed((organisation or {}).get("href")),
        "navigation": [_section(nav) for nav in params.get("navigation") or []],
        "meta": {
            "title": meta.get("visuallyHiddenTitle") or "Support links",
            "items": [_link(item) for item in meta.get("items") or []],
            "custom": _content(meta),
        } if truthy(meta) else None,
        # Only an explicit null hides the licence; leaving it out shows the OGL.
        "show_licence": params.get("contentLicence", {}) is not None,
        "licence": _content(params.get("contentLicence")),
        "copyright": _content(params.get("copyright")),
    }
