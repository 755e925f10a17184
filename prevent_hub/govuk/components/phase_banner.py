from .base import classes
from .nunjucks import get, html_or_text


def context(params):
    return {
        "params": params,
        "tag": {
            "text": get(params, "tag", "text"),
            "html": get(params, "tag", "html"),
            "classes": classes("govuk-phase-banner__content__tag", get(params, "tag", "classes")),
        },
        "content": html_or_text(params),
    }
