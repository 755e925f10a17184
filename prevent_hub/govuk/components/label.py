from .base import truthy


def context(params):
    return {"params": params, "show": truthy(params.get("html")) or truthy(params.get("text"))}
