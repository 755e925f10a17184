from django.utils.safestring import mark_safe

from .base import truthy
from .nunjucks import get, html_or_text, printed


def _item(item):
    highlighted = truthy(item.get("active")) or truthy(item.get("current"))
    return {
        "href": item.get("href"),
        "attributes": item.get("attributes"),
        "highlighted": highlighted,
        "aria_current": ("page" if truthy(item.get("current")) else "true") if highlighted else None,
        "has_content": truthy(item.get("html")) or truthy(item.get("text")),
        "content": html_or_text(item),
    }


def _slot(html):
    return mark_safe(html) if truthy(html) else ""  # noqa: S308 - slots are trusted markup


def context(params):
    menu_button_text = params.get("menuButtonText") or "Menu"
    menu_button_label = params.get("menuButtonLabel")
    end = get(params, "slots", "end")
    end_html = end if isinstance(end, str) else get(end, "html")
    items = [_item(item) for item in params.get("navigation") or [] if truthy(item)]
    collapse = params.get("collapseNavigationOnMobile", len(items) > 1)
    navigation_start = _slot(get(params, "slots", "navigationStart"))
    navigation_end = _slot(get(params, "slots", "navigationEnd"))
    start = _slot(get(params, "slots", "start"))
    return {
        "params": params,
        # With a service name or slotted content the component is a landmark of
        # its own; otherwise its <nav> already is one.
        "element": "section" if params.get("serviceName") or start or end_html else "div",
        "aria_label": printed(params.get("ariaLabel", "Service information")),
        "inline_end": isinstance(end, dict) and end.get("align") == "inline",
        "start": start,
        "end": _slot(end_html),
        "show_navigation": bool(items or navigation_start or navigation_end),
        "navigation_label": params.get("navigationLabel") or menu_button_text,
        "navigation_id": params.get("navigationId") or "navigation",
        "collapse": truthy(collapse),
        "menu_button_text": menu_button_text,
        "menu_button_label": (
            menu_button_label if menu_button_label and menu_button_label != menu_button_text
            else None
        ),
        "navigation_start": navigation_start,
        "navigation_end": navigation_end,
        "items": items,
    }
