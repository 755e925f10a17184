from .base import truthy
from .nunjucks import html_or_text


def context(params):
    return {
        "params": params,
        "open": truthy(params.get("open")),
        "summary": html_or_text(params, "summaryHtml", "summaryText"),
        "content": html_or_text(params),
    }
