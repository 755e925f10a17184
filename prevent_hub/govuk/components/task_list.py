from .base import truthy
from .nunjucks import get, html_or_text, printed


def _item(item, number, id_prefix):
    hint_id = f"{id_prefix}-{number}-hint"
    status_id = f"{id_prefix}-{number}-status"
    has_hint = truthy(item.get("hint"))
    status = item.get("status")
    return {
        "classes": item.get("classes"),
        "href": printed(item["href"]) if truthy(item.get("href")) else None,
        "described_by": f"{hint_id} {status_id}" if has_hint else status_id,
        "title_classes": get(item, "title", "classes"),
        "title": html_or_text(item.get("title")),
        "hint_id": hint_id,
        "hint": html_or_text(item["hint"]) if has_hint else None,
        "status_id": status_id,
        "status_classes": get(status, "classes"),
        "status_tag": get(status, "tag") if truthy(get(status, "tag")) else None,
        "status": html_or_text(status),
    }


def context(params):
    id_prefix = printed(params.get("idPrefix") or "task-list")
    return {
        "params": params,
        # Ids number items by position in the list as given, empty entries included.
        "items": [_item(item, number, id_prefix)
                  for number, item in enumerate(params.get("items") or [], start=1)
                  if truthy(item)],
    }
