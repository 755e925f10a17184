from .nunjucks import html_or_text


def context(params):
    return {
        "params": params,
        "icon_fallback_text": params.get("iconFallbackText") or "Warning",
        "content": html_or_text(params),
    }
