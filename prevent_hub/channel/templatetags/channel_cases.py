"""The case layout's pieces: sub-navigation, status tag and breadcrumbs.

`{% case_nav case %}` lists the case's sections the signed-in user may open:
a section is shown only if the user may take the action its view declares
(`@requires`) on this case, so the navigation and the access rules agree.
"""

from django import template
from django.urls import reverse

from prevent_hub.access import can
from prevent_hub.access.middleware import url_name_action
from prevent_hub.core import formatting

from ..models import CaseStatus

register = template.Library()

# (label, URL name), in the order the navigation shows them.
CASE_SECTIONS = [
    ("Overview", "channel:case-detail"),
    ("Timeline", "channel:case-timeline"),
    ("Information requests", "channel:case-information-requests"),
    ("Consent", "channel:case-consent"),
    ("Assessments", "channel:case-assessments"),
    ("Support", "channel:case-support"),
    ("Reviews and exit", "channel:case-reviews"),
    ("Notes and documents", "channel:case-notes"),
    ("Team", "channel:case-team"),
    ("Transfer", "channel:case-transfer"),
]

STATUS_TAG_CLASSES = {
    CaseStatus.SCREENING: "govuk-tag--light-blue",
    CaseStatus.AWAITING_PANEL: "govuk-tag--yellow",
    CaseStatus.NOT_ADOPTED: "govuk-tag--grey",
    CaseStatus.ADOPTED: "govuk-tag--blue",
    CaseStatus.CONSENT_SOUGHT: "govuk-tag--yellow",
    CaseStatus.CONSENT_GIVEN: "govuk-tag--turquoise",
    CaseStatus.CONSENT_REFUSED: "govuk-tag--orange",
    CaseStatus.SUPPORT: "govuk-tag--green",
    CaseStatus.EXITED: "govuk-tag--purple",
    CaseStatus.CLOSED: "govuk-tag--grey",
}


def case_sections(user, case, current_url_name=""):
    """The sections `user` may open, as dicts with text, href and current."""
    sections = []
    for label, name in CASE_SECTIONS:
        action = url_name_action(name, ("pk",))
        if action is None or not can(user, action, case):
            continue
        href = reverse(name, kwargs={"pk": case.pk})
        sections.append({"text": label, "href": href, "current": name == current_url_name})
    return sections


@register.inclusion_tag("channel/_case_nav.html", takes_context=True)
def case_nav(context, case):
    request = context["request"]
    match = request.resolver_match
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    sections = case_sections(request.user, case, current)
    # A page inside a section (a form) marks its section as current.
    if not any(section["current"] for section in sections):
        current_section = context.get("case_section", "")
        for section in sections:
            section["current"] = section["href"] == current_section
    return {"sections": sections, "case": case}


@register.simple_tag
def case_status_tag_class(status):
    return STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")


@register.simple_tag
def case_breadcrumbs(case, *trail):
    """Home › Channel cases › the case [› page...]: pairs of text and href."""
    items = [{"text": "Home", "href": reverse("staff:home")},
             {"text": "Channel cases", "href": reverse("channel:case-list")},
             {"text": case.reference, "href": reverse("channel:case-detail", kwargs={"pk": case.pk})}]
    pairs = list(trail)
    items.extend({"text": text, "href": href} for text, href in zip(pairs[::2], pairs[1::2], strict=False))
    return {"items": items, "classes": "govuk-!-display-none-print"}


@register.filter(name="govuk_date")
def govuk_date_filter(value):
    return formatting.govuk_date(value)


@register.filter(name="govuk_datetime")
def govuk_datetime_filter(value):
    return formatting.govuk_datetime(value)
