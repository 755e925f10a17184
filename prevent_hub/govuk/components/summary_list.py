from .base import truthy
from .nunjucks import get, html_or_text, printed


def _actions(actions):
    items = get(actions, "items")
    items = items if isinstance(items, list) else []
    return [{
        "href": printed(action.get("href")),
        "classes": action.get("classes"),
        "attributes": action.get("attributes"),
        "content": html_or_text(action),
        "hidden_text": (
            printed(action["visuallyHiddenText"])
            if truthy(action.get("visuallyHiddenText")) else None
        ),
    } for action in items]


def _row(row, any_row_has_actions):
    return {
        "classes": row.get("classes"),
        "no_actions": any_row_has_actions and not truthy(get(row, "actions", "items")),
        "key_classes": get(row, "key", "classes"),
        "key": html_or_text(row.get("key")),
        "value_classes": get(row, "value", "classes"),
        "value": html_or_text(row.get("value")),
        "actions_classes": get(row, "actions", "classes"),
        "actions": _actions(row.get("actions")),
    }


def _card(card):
    title = card.get("title")
    return {
        "classes": card.get("classes"),
        "attributes": card.get("attributes"),
        "has_title": truthy(title),
        "heading_level": get(title, "headingLevel") or 2,
        "title_classes": get(title, "classes"),
        "title": html_or_text(title),
        "actions_classes": get(card, "actions", "classes"),
        "actions": _actions(card.get("actions")),
    }


def context(params):
    rows = params.get("rows") or []
    # Rows without actions get a modifier class so the columns still line up
    # when other rows have them.
    any_row_has_actions = any(
        truthy(row) and bool(_actions(row.get("actions"))) for row in rows
    )
    card = params.get("card")
    card_title = get(card, "title")
    return {
        "params": params,
        "rows": [_row(row, any_row_has_actions) for row in rows if truthy(row)],
        "card": _card(card) if truthy(card) else None,
        # Inside a card, every action link's hidden text names the card, so that
        # "Change" links stay distinguishable when listed out of context.
        "card_title": html_or_text(card_title) if truthy(card_title) else None,
    }
