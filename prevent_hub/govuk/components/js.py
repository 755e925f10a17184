"""JavaScript comparisons, which decide what the Nunjucks templates pre-select.

Python's own `==` disagrees with JavaScript's in ways that matter for form
values: `1 == True` in Python, `"1" == 1` only in JavaScript.
"""

import math

from .base import js_string


def _number(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        return float(value.strip() or 0)
    except ValueError:
        return math.nan


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def strict_equals(a, b) -> bool:
    """JavaScript `===` for the JSON-like values component params hold."""
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and (a is b if isinstance(a, dict | list) else a == b)


def loose_equals(a, b) -> bool:
    """JavaScript `==`: null only equals null, numbers compare with numeric strings."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return a is b
    if type(a) is type(b):
        return a == b
    return _number(a) == _number(b)


def contains(container, value) -> bool:
    """Nunjucks' `in` operator: strict membership in a list, substring of a string,
    key of a mapping."""
    if isinstance(container, list):
        return any(strict_equals(item, value) for item in container)
    if isinstance(container, str):
        return js_string(value) in container
    if isinstance(container, dict):
        return value in container
    return False
