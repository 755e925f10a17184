"""GOV.UK Frontend markup for every Django form.

Settings name `GovukFormRenderer` as FORM_RENDERER, so `{{ form }}` and
`{{ form.<field>.as_field_group }}` render each field as the GOV.UK component
that fits its widget:

    TextInput, EmailInput, URLInput, TelInput, SearchInput...   input
    NumberInput                         input, type text with inputmode numeric
    PasswordInput                       password-input (the value is never sent back)
    Textarea                            textarea, or character-count when the
                                        field has a max_length
    Select, SelectMultiple              select
    RadioSelect                         radios in a fieldset
    CheckboxSelectMultiple              checkboxes in a fieldset
    CheckboxInput                       checkboxes with one item (a yes/no field)
    GovukDateInput                      date-input (use `GovukDateField`)
    FileInput, ClearableFileInput       file-upload

The label or legend is the field's label, the hint its help_text (escaped,
unless marked safe) and the error message its first error: GOV.UK shows one
message per field. What the user typed comes back on a failed submit, except
passwords and files. Hidden fields, and widgets with no GOV.UK equivalent,
render as Django renders them.

GOV.UK options
--------------
Extra component params, named as in the Design System's Nunjucks examples, go
in a `govuk` dict in the widget's attrs (or, from Python, a `govuk` attribute
on the field); they are merged over the params built from the field:

    name = forms.CharField(widget=forms.TextInput(attrs={"govuk": {
        "label": {"classes": "govuk-label--l", "isPageHeading": True},
        "classes": "govuk-input--width-20",
    }}))
    contact = forms.ChoiceField(choices=CONTACT, widget=forms.RadioSelect(attrs={"govuk": {
        "classes": "govuk-radios--inline",
        "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
        "items": {
            "email": {"hint": {"text": "We reply within 5 days"},
                      "conditional": {"field": "email_address"}},
            "none": {"divider": "or", "behaviour": "exclusive"},
        },
    }}))

`items` is keyed by choice value (by "day", "month" and "year" for dates) and
merged into that item. Two keys there are ours, not GOV.UK's: `divider` puts a
divider with that text before the item, and `conditional: {"field": name}`
reveals another field of the form under the item (that field is then left out
where `{{ form }}` would have put it).

In a template the same can be done per page, without Python:

    {% govuk form.name.govuk_component form.name.govuk_params label__isPageHeading=True %}

Error summary
-------------
`{% include "govuk/forms/error_summary.html" %}` with `form` in the context
lists the form's non-field errors, then each field's error linked to the field's
first input (the day box of a date, the first radio or checkbox). Non-field
errors are a service's refusal of the whole submission; `{{ form }}` shows
them again at the top of the form (above the button of a form with no fields)
and the summary links there, so a refused confirmation page says why.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.safestring import SafeData, mark_safe

from .components.base import truthy
from .components.field import dig
from .templatetags.govuk import merge


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes, posted as `<name>-day`, `<name>-month`, `<name>-year`."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput() for _ in self.parts], attrs)
        self.widgets_names = [f"-{part}" for part in self.parts]

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.DateField):
    """A date typed into GOV.UK day, month and year boxes.

    Errors say which boxes are wrong, so only those are highlighted; override
    the messages with the question's own words, as GOV.UK asks
    ("Date of birth must include a %(missing)s").
    """

    widget = GovukDateInput
    default_error_messages = {
        "incomplete": "Date must include a %(missing)s",
        "invalid": "Date must be a real date",
        "invalid_year": "Year must include 4 numbers",
    }

    def to_python(self, value):
        if not isinstance(value, list | tuple):
            return super().to_python(value)
        typed = dict(zip(GovukDateInput.parts, (str(part or "").strip() for part in value),
                         strict=True))
        if not any(typed.values()):
            return None
        missing = [part for part, text in typed.items() if not text]
        if missing:
            raise ValidationError(self.error_messages["incomplete"], code="incomplete",
                                  params={"missing": " and ".join(missing), "parts": missing})
        wrong = [part for part, text in typed.items() if not text.isdigit()]
        if wrong:
            raise ValidationError(self.error_messages["invalid"], code="invalid",
                                  params={"parts": wrong})
        if len(typed["year"]) != 4:
            raise ValidationError(self.error_messages["invalid_year"], code="invalid_year",
                                  params={"parts": ["year"]})
        try:
            return datetime.date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError:
            # An impossible date is wrong as a whole: every box is highlighted.
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class GovukBoundField(forms.BoundField):
    """A bound field that knows its GOV.UK component and that component's params."""

    def get_context(self):
        return {"field": self, "component": self.govuk_component, "params": self.govuk_params}

    @cached_property
    def govuk_component(self):
        return _component(self.field.widget, self.field)

    @property
    def govuk_params(self):
        params = self._params()
        if isinstance(params.get("items"), list):
            params["items"] = [self._reveal(item) for item in params["items"]]
        return params

    @property
    def is_revealed(self):
        """Whether another field shows this one under one of its radios or checkboxes."""
        return any(self.name in _revealed_names(other.field) for other in self.form
                   if other.name != self.name)

    @property
    def error_href(self):
        """Where the error summary links to: the field's first input."""
        return f"#{_first_input_id(self.govuk_component, self._params(), self)}"

    @property
    def form_error_summary(self):
        """Error summary params for this field's whole form, or None (see error_summary)."""
        return error_summary(self.form)

    def _params(self):
        """The params, with any field to reveal under an item not yet rendered."""
        if not self.govuk_component:
            return {} if self.is_hidden else _other(self)
        params = _BUILDERS[self.govuk_component](self)
        for extra in (getattr(self.field, "govuk", None), self.field.widget.attrs.get("govuk")):
            if extra:
                params = _merge_options(params, extra)
        return params

    def _reveal(self, item):
        name = dig(item, "conditional", "field")
        if not name:
            return item
        return {**item, "conditional": {"html": self.form[name].as_field_group()}}


def form_errors_id(form) -> str:
    """The id of the place in the form where its non-field errors are shown
    (the form's template puts them above its first field, or above the
    button of a confirmation form with no fields)."""
    return f"{form.prefix}-form-errors" if form.prefix else "form-errors"


def error_summary(form):
    """Error summary params for `form`, or None: its non-field errors (a
    service's refusal of the whole submission), then each field's first
    error, linked to the field's first input.

    A refusal links to the form: its first field, or, for a form with no
    fields (a confirmation: approve, cancel, remove), the place `{{ form }}`
    repeats the refusal above the button. Such a form's refusal is shown
    all the same: it is all there is to show."""
    visible = [field for field in form if not field.is_hidden]
    refusal_href = (getattr(visible[0], "error_href", f"#{visible[0].id_for_label}") if visible
                    else f"#{form_errors_id(form)}")
    errors = [{"text": str(error), "href": refusal_href} for error in form.non_field_errors()]
    for field in form:
        if field.errors:
            error = {"text": str(field.errors[0])}
            if not field.is_hidden:
                error["href"] = getattr(field, "error_href", f"#{field.id_for_label}")
            errors.append(error)
    if not errors:
        return None
    return {"titleText": "There is a problem", "errorList": errors}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField

    def get_template(self, template_name):
        # Widgets GOV.UK has no component for, hidden inputs, formsets and error
        # lists still need Django's own form templates, which the project's
        # template settings do not load.
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._django_templates.get_template(template_name)

    @cached_property
    def _django_templates(self):
        return DjangoTemplates()


def _component(widget, field):
    if widget.is_hidden:
        return None
    # Subclasses before the classes they extend: a CheckboxSelectMultiple is a
    # RadioSelect, a PasswordInput an Input.
    for widget_class, component in (
        (GovukDateInput, "date-input"),
        (forms.PasswordInput, "password-input"),
        (forms.FileInput, "file-upload"),
        (forms.CheckboxInput, "checkboxes"),
        (forms.CheckboxSelectMultiple, "checkboxes"),
        (forms.RadioSelect, "radios"),
        (forms.Select, "select"),
        (forms.widgets.Input, "input"),
    ):
        if isinstance(widget, widget_class):
            return component
    if isinstance(widget, forms.Textarea):
        return "character-count" if getattr(field, "max_length", None) else "textarea"
    return None


def _common(bound, attrs):
    """Params every field component shares, and the widget attrs left over."""
    attrs = dict(attrs)
    params = {
        "id": attrs.pop("id", None) or bound.auto_id or None,
        "name": bound.html_name,
        "label": _text_or_html(bound.label),
    }
    if bound.help_text:
        params["hint"] = _text_or_html(bound.help_text)
    if bound.errors:
        params["errorMessage"] = {"text": str(bound.errors[0])}
    classes = attrs.pop("class", None)
    if classes:
        params["classes"] = classes
    # Django's own attrs already carry the field's `disabled`.
    if attrs.pop("disabled", False):
        params["disabled"] = True
    return params, attrs


def _widget_attrs(bound):
    """The widget's own attrs plus Django's `required`, without what the
    components work out themselves (describedby, invalid) or we consume."""
    attrs = bound.build_widget_attrs(bound.field.widget.attrs)
    for name in ("govuk", "aria-describedby", "aria-invalid"):
        attrs.pop(name, None)
    return attrs


def _take(params, attrs, *names):
    """Move widget attrs that are component params into the params."""
    for name in names:
        if name in attrs:
            value = attrs.pop(name)
            # Components take spellcheck as a boolean; attrs usually say "false".
            params[name] = str(value).lower() in ("true", "") if name == "spellcheck" else value


def _html_attributes(attrs):
    # Django attrs mark boolean attributes with True/False; GOV.UK's attribute
    # macro does that with `optional`.
    return {
        name: {"value": value, "optional": True} if value is True or value is False else value
        for name, value in attrs.items()
    }


def _text_or_html(value):
    if isinstance(value, SafeData):
        return {"html": value}
    return {"text": str(value)}


def _other(bound):
    """Label, hint and error for a widget GOV.UK has no component for, with the
    ids that Django's aria-describedby on that widget points at."""
    params, _ = _common(bound, {})
    params["label"]["for"] = bound.id_for_label
    if "hint" in params:
        params["hint"]["id"] = f"{bound.auto_id}_helptext"
    if "errorMessage" in params:
        params["errorMessage"]["id"] = f"{bound.auto_id}_error"
    return params


def _input(bound):
    widget = bound.field.widget
    params, attrs = _common(bound, _widget_attrs(bound))
    # GOV.UK advises against type=number: browsers round and scroll its values.
    numeric = isinstance(widget, forms.NumberInput)
    params["type"] = "text" if numeric else widget.input_type
    if numeric:
        params["inputmode"] = "numeric"
    if isinstance(widget, forms.EmailInput | forms.URLInput) or numeric:
        params["spellcheck"] = False
    _take(params, attrs, "autocomplete", "inputmode", "pattern", "autocapitalize", "spellcheck")
    params["value"] = widget.format_value(bound.value())
    params["attributes"] = _html_attributes(attrs)
    return params


def _password_input(bound):
    params, attrs = _common(bound, _widget_attrs(bound))
    _take(params, attrs, "autocomplete")
    params["attributes"] = _html_attributes(attrs)
    return params


def _textarea(bound):
    params, attrs = _common(bound, _widget_attrs(bound))
    _take(params, attrs, "rows", "autocomplete", "spellcheck")
    params["value"] = bound.field.widget.format_value(bound.value())
    params["attributes"] = _html_attributes(attrs)
    return params


def _character_count(bound):
    params = _textarea(bound)
    # The component counts down to the limit and lets users go over it, which
    # a maxlength attribute would silently stop.
    params["attributes"].pop("maxlength", None)
    params["maxlength"] = bound.field.max_length
    return params


def _file_upload(bound):
    params, attrs = _common(bound, _widget_attrs(bound))
    if attrs.pop("multiple", False):
        params["multiple"] = True
    params["attributes"] = _html_attributes(attrs)
    return params


def _options(bound):
    widget = bound.field.widget
    return [
        option
        for _, group, _ in widget.optgroups(bound.html_name, widget.format_value(bound.value()))
        for option in group
    ]


def _select(bound):
    params, attrs = _common(bound, _widget_attrs(bound))
    # SelectMultiple adds this when it renders itself, not in its attrs.
    if bound.field.widget.allow_multiple_selected:
        attrs["multiple"] = True
    params["items"] = [
        {"value": str(option["value"]), "text": str(option["label"]),
         "selected": option["selected"]}
        for option in _options(bound)
    ]
    params["attributes"] = _html_attributes(attrs)
    return params


def _fieldset(params, id_param="idPrefix"):
    """Choices and dates are a group of inputs: the label becomes the legend,
    and the id is what the inputs' ids start with."""
    params["fieldset"] = {"legend": params.pop("label")}
    params[id_param] = params.pop("id")
    return params


def _choices(bound):
    params, attrs = _common(bound, _widget_attrs(bound))
    disabled = params.pop("disabled", False)
    params["items"] = [
        {"value": str(option["value"]), "text": str(option["label"]),
         "checked": option["selected"], "disabled": disabled,
         "attributes": _html_attributes(attrs)}
        for option in _options(bound)
    ]
    return _fieldset(params)


def _checkbox(bound):
    """A single checkbox answers a yes/no question: its label is the item's."""
    params, attrs = _common(bound, _widget_attrs(bound))
    params["idPrefix"] = params.pop("id")
    label, hint = params.pop("label"), params.pop("hint", None)
    params["items"] = [{
        **label,
        # CheckboxInput reads any value but "false" as ticked.
        "value": "true",
        "checked": bound.field.widget.check_test(bound.value()),
        "disabled": params.pop("disabled", False),
        "attributes": _html_attributes(attrs),
        **({"hint": hint} if hint else {}),
    }]
    return params


def _checkboxes(bound):
    if isinstance(bound.field.widget, forms.CheckboxInput):
        return _checkbox(bound)
    return _choices(bound)


def _date_input(bound):
    widget = bound.field.widget
    params, attrs = _common(bound, _widget_attrs(bound))
    value = bound.value()
    typed = value if isinstance(value, list | tuple) else widget.decompress(value)
    # GovukDateField names the boxes at fault; other errors mark every box.
    wrong = set()
    if bound.errors:
        wrong = set((bound.errors.as_data()[0].params or {}).get("parts", ()))
    if params.pop("disabled", False):
        attrs["disabled"] = True
    item_attrs = _html_attributes(attrs)
    params = _fieldset(params, id_param="id")
    params["namePrefix"] = bound.html_name
    params["items"] = [
        {"name": part, "value": part_value, "attributes": item_attrs,
         **({"error": True} if part in wrong else {})}
        for part, part_value in zip(GovukDateInput.parts, typed, strict=True)
    ]
    return params


_BUILDERS = {
    "input": _input,
    "password-input": _password_input,
    "textarea": _textarea,
    "character-count": _character_count,
    "file-upload": _file_upload,
    "select": _select,
    "radios": _choices,
    "checkboxes": _checkboxes,
    "date-input": _date_input,
}


def _item_key(item):
    return item.get("value", item.get("name"))


def _merge_options(params, options):
    overrides = options.get("items")
    if not (isinstance(overrides, dict) and isinstance(params.get("items"), list)):
        return merge(params, options)
    items = []
    for item in params["items"]:
        override = dict(overrides.get(_item_key(item)) or {})
        if "divider" in override:
            items.append({"divider": override.pop("divider")})
        items.append(merge(item, override))
    return merge(params, {key: value for key, value in options.items() if key != "items"}) | {
        "items": items}


def _revealed_names(field):
    names = set()
    for options in (getattr(field, "govuk", None), field.widget.attrs.get("govuk")):
        items = (options or {}).get("items")
        if isinstance(items, dict):
            names.update(dig(item, "conditional", "field") for item in items.values())
    names.discard(None)
    return names


def _first_input_id(component, params, bound):
    if component in ("radios", "checkboxes"):
        for index, item in enumerate(params["items"], start=1):
            if truthy(item) and not truthy(item.get("divider")):
                prefix = params.get("idPrefix") or params["name"]
                return item.get("id") or (f"{prefix}-{index}" if index > 1 else prefix)
    if component == "date-input":
        items = [item for item in params["items"] if truthy(item)]
        first = next((item for item in items if item.get("error")), items[0])
        return first.get("id") or f"{params['id']}-{first['name']}"
    if component:
        return params.get("id") or params["name"]
    return bound.id_for_label



def govuk_date_field(label, *, required=True, help_text="For example, 27 3 2026", **kwargs):
    """A date field with the GOV.UK pattern's error messages, worded from its label."""
    lowered = f"{label[:1].lower()}{label[1:]}"
    return GovukDateField(
        label=label, required=required, help_text=help_text,
        error_messages={
            "required": f"Enter the {lowered}",
            "incomplete": f"{label} must include a %(missing)s",
            "invalid": f"{label} must be a real date",
            "invalid_year": f"{label} year must include 4 numbers",
        },
        **kwargs,
    )


def form_submitted(request, form, write):
    """For a valid POST, call `write(cleaned_data)` (a service) and return
    what it returns; otherwise None. A service's refusal goes onto the form
    (add_service_errors), with what was typed kept."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def add_service_errors(form, error: ValidationError):
    """A service's ValidationError onto the form: on its field if the form has
    one, otherwise in the error summary, so what was typed stays on the page."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def fields_html(form):
    """The form's fields as GOV.UK markup, for a page that lays out its own
    error summary and buttons around them (the honeypot of a question page
    comes last)."""
    return mark_safe("".join(str(bound.as_field_group()) for bound in form))  # noqa: S308 - escaped
