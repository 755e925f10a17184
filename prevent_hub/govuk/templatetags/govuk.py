"""Template tags for GOV.UK components (registered as a builtin in settings).

    {% govuk "button" text="Save and continue" %}
    {% govuk "input" label__text="Full name" name="full_name" %}
    {% govuk "summary-list" summary_list_params %}

Double underscores in keyword names build nested parameters, so most calls need
no Python. Lists (radio items, table rows) come from the view or the form.
"""

from django import template

from prevent_hub.govuk.components import attributes, render

register = template.Library()


def nest(flat: dict) -> dict:
    nested: dict = {}
    for key, value in flat.items():
        *parents, leaf = key.split("__")
        target = nested
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return nested


def merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@register.simple_tag(name="govuk")
def govuk_component(name, params=None, **kwargs):
    return render(name, merge(params or {}, nest(kwargs)))


@register.filter(name="govuk_attributes")
def govuk_attributes(attrs):
    return attributes(attrs)
