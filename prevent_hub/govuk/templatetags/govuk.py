"""Template tags for GOV.UK components (registered as a builtin in settings).

    {% govuk "button" text="Save and continue" %}
    {% govuk "input" label__text="Full name" name="full_name" %}
    {% govuk "summary-list" summary_list_params %}

Double underscores in keyword names build nested parameters, so most calls need
no Python. Lists (radio items, table rows) come from the view or the form.

A table too wide for a phone goes in its own scrollable region (WCAG 1.4.10):

    {% table_scroll labelledby="queue-caption" %}<table>…</table>{% endtable_scroll %}
    {% table_scroll label="Referrals" %}{% govuk "table" rows %}{% endtable_scroll %}
"""

from django import template
from django.utils.html import format_html

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


@register.filter(name="govuk_error_summary")
def govuk_error_summary(form):
    """Error summary params for a form (None if it has no errors): its
    refusals and field errors, whether or not it has any fields."""
    from prevent_hub.govuk.forms import error_summary

    return error_summary(form) if getattr(form, "errors", None) else None


@register.filter(name="govuk_attributes")
def govuk_attributes(attrs):
    return attributes(attrs)


class TableScrollNode(template.Node):
    def __init__(self, nodelist, name_attribute, name):
        self.nodelist, self.name_attribute, self.name = nodelist, name_attribute, name

    def render(self, context):
        # A region that scrolls must be reachable by keyboard (axe's
        # scrollable-region-focusable), and named so a screen reader says what scrolls.
        return format_html(
            '<div class="app-table-scroll" role="region" {}="{}" tabindex="0">{}</div>',
            self.name_attribute, self.name.resolve(context), self.nodelist.render(context),
        )


@register.tag(name="table_scroll")
def table_scroll(parser, token):
    bits = token.split_contents()
    kwargs = template.base.token_kwargs(bits[1:], parser)
    if len(bits) != 2 or set(kwargs) not in ({"labelledby"}, {"label"}):
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes exactly one of labelledby=\"<caption id>\" or label=\"<name>\""
        )
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    (name, value), = kwargs.items()
    return TableScrollNode(nodelist, {"labelledby": "aria-labelledby", "label": "aria-label"}[name], value)
