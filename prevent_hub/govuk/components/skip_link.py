from .nunjucks import html_or_text


def context(params):
    return {
        "params": params,
        "href": params.get("href") or "#content",
        "content": html_or_text(params),
    }
