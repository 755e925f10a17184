"""A published figure as the pages show it: 6,922; `*` as it is; a
duration with nothing to measure in words."""

from django import template

register = template.Library()

NOT_MEASURED = "None to measure"


@register.filter(name="figure")
def figure(value) -> str:
    if value is None:
        return NOT_MEASURED
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
