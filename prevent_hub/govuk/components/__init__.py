"""GOV.UK Frontend components as Django templates.

Each component takes the same parameters as its Nunjucks macro in govuk-frontend
(camelCase keys, `text` escaped, `html` trusted), so the Design System's own
examples and fixtures apply unchanged. A component is a template in
templates/govuk/components/<name>.html and, when it needs logic the template
language cannot express, a module here named after it (dashes become
underscores) whose `context(params)` returns the template's context.

`html` parameters are rendered unescaped: only ever pass markup our own code
built, never text a user typed.
"""

from .base import attributes, render

__all__ = ["attributes", "render"]
