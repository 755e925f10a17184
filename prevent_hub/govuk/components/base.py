import importlib
from functools import cache

from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def js_string(value) -> str:
    """A value as Nunjucks would print it (True -> "true", 2.0 -> "2")."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def attributes(attrs) -> SafeString:
    """Port of govuk-frontend's `govukAttributes` macro.

    Values may be plain (always rendered, `None` as an empty value) or
    `{"value": ..., "optional": True}` (left out when None/False; a bare
    boolean attribute when True).
    """
    if not attrs:
        return mark_safe("")  # noqa: S308 - empty
    if isinstance(attrs, str):
        # Nunjucks passes pre-rendered attribute strings through untouched.
        return mark_safe(attrs)  # noqa: S308 - only our own templates pass strings
    parts = []
    for name, item in attrs.items():
        if isinstance(item, dict):
            value, optional = item.get("value"), item.get("optional") is True
        else:
            value, optional = item, False
        if optional and value is True:
            parts.append(f" {escape(name)}")
        elif not optional or not (value is None or value is False):
            shown = "" if value is None else escape(js_string(value))
            parts.append(f' {escape(name)}="{shown}"')
    return mark_safe("".join(parts))  # noqa: S308 - every name and value escaped above


def classes(*names) -> str:
    """Join class names, skipping empty ones."""
    return " ".join(name for name in names if name)


def truthy(value) -> bool:
    """JavaScript truthiness, which the Nunjucks templates rely on."""
    if isinstance(value, dict | list):
        return True
    return bool(value)


@cache
def _context_builder(name: str):
    try:
        module = importlib.import_module(f"{__package__}.{name.replace('-', '_')}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{name.replace('-', '_')}":
            raise
        return None
    return getattr(module, "context", None)


def render(name: str, params: dict | None = None) -> SafeString:
    """Render component `name` (e.g. "error-summary") with Nunjucks-style params."""
    params = params or {}
    builder = _context_builder(name)
    context = builder(params) if builder else {"params": params}
    html = get_template(f"govuk/components/{name}.html").render(context)
    return mark_safe(html.strip())  # noqa: S308 - templates escape text themselves
