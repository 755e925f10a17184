from .base import truthy
from .nunjucks import html_or_text, printed


def _link(link, direction, block_level):
    label = link.get("labelText")
    given = truthy(link.get("html")) or truthy(link.get("text"))
    return {
        "direction": direction,
        "href": printed(link.get("href")),
        "attributes": link.get("attributes"),
        # Links side by side point the way with an arrow on the outside; links
        # stacked as a block both lead with theirs.
        "arrow_first": block_level or direction == "prev",
        "decorated": block_level and not truthy(label),
        "label": printed(label) if truthy(label) and block_level else None,
        "content": html_or_text(link) if given else None,
    }


def _item(item):
    number = printed(item.get("number"))
    return {
        "href": printed(item.get("href")),
        "attributes": item.get("attributes"),
        "number": number,
        "current": truthy(item.get("current")),
        "ellipsis": truthy(item.get("ellipsis")),
        "label": printed(item.get("visuallyHiddenText", f"Page {number}")),
    }


def context(params):
    previous, next_ = params.get("previous"), params.get("next")
    # Without page numbers, previous and next stack as a block.
    block_level = not truthy(params.get("items")) and (truthy(next_) or truthy(previous))
    return {
        "params": params,
        "block_level": block_level,
        "label": params.get("landmarkLabel") or "Pagination",
        "previous": _link(previous, "prev", block_level)
        if truthy(previous) and truthy(previous.get("href")) else None,
        "next": _link(next_, "next", block_level)
        if truthy(next_) and truthy(next_.get("href")) else None,
        # Like Nunjucks, skip empty entries, so a list can be built with gaps.
        "items": [_item(item) for item in params.get("items") or []
                  if isinstance(item, dict) and item]
        if truthy(params.get("items")) else None,
    }
