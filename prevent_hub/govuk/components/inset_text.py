from .nunjucks import html_or_text


def context(params):
    return {"params": params, "content": html_or_text(params)}
