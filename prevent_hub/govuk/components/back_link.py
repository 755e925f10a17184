from .nunjucks import html_or_text


def context(params):
    return {
        "params": params,
        "href": params.get("href") or "#",
        "content": html_or_text({"html": params.get("html"), "text": params.get("text") or "Back"}),
    }
