"""Service navigation and footer, built per request for the page template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from prevent_hub.access import Action, can

PUBLIC_SECTIONS = [
    ("public:home", "About Prevent"),
    ("public:channel", "Channel support"),
    ("public:get-help", "Get help"),
    ("public:practitioners", "For practitioners"),
]

# (url name, text, action needed to see the link)
STAFF_SECTIONS = [
    ("staff:home", "Home", Action.STAFF_HOME),
    ("triage:queue", "Referrals", Action.REFERRAL_QUEUE),
    ("legacy_import:imports", "Import referrals", Action.REFERRALS_IMPORT),
    ("people:search", "People", Action.PERSON_SEARCH),
    ("channel:my-tasks", "Your tasks", Action.MY_TASKS),
    ("channel:dashboard", "Dashboard", Action.CASE_DASHBOARD),
    ("channel:case-list", "Channel cases", Action.CASE_VIEW),
    ("panels:home", "Panel meetings", Action.PANEL_VIEW),
    ("records:holds", "Legal holds", Action.LEGAL_HOLD_MANAGE),
    ("rights:home", "Rights requests", Action.RIGHTS_REQUEST_MANAGE),
    # Venues: administration, calendars and dashboard
    ("venues:dashboard", "Venue bookings", Action.VENUE_BOOKING_VIEW),
    ("complaints:dashboard", "Complaints", Action.COMPLAINT_VIEW),
    ("training:home", "Training", Action.TRAINING_VIEW),
    ("assurance:summary", "Prevent assurance", Action.ASSURANCE_VIEW),
    ("statistics:dashboard", "Statistics", Action.STATISTICS_VIEW),
    ("statistics:equality", "Equality monitoring", Action.EQUALITY_MONITORING_VIEW),
    ("training:own", "Your training", Action.TRAINING_OWN_RECORD),
    ("audit:search", "Audit trail", Action.AUDIT_SEARCH),
    ("records:runs", "Retention runs", Action.RETENTION_RUNS_VIEW),
    ("administration:index", "Administration", Action.USERS_MANAGE),
    ("accounts:account", "Your account", Action.OWN_ACCOUNT),
]

FOOTER_LINKS = [
    ("public:accessibility", "Accessibility statement"),
    ("public:privacy", "Privacy notice"),
    ("public:cookies", "Cookies"),
]


def _items(request, sections, home):
    items = []
    for name, text in sections:
        href = reverse(name)
        current = request.path == href
        # A section is "active" on its own sub-pages too; home only on itself.
        active = not current and href != home and request.path.startswith(href)
        items.append({"href": href, "text": text, "current": current, "active": active})
    return items


def in_staff_area(request) -> bool:
    return request.path.startswith(reverse("staff:home"))


def service_navigation(request, service_name):
    if in_staff_area(request):
        home = reverse("staff:home")
        return {
            "serviceName": service_name,
            "serviceUrl": home,
            "navigation": _items(
                request,
                [(name, text) for name, text, action in STAFF_SECTIONS if can(request.user, action)],
                home,
            ),
            "navigationLabel": "Staff area",
            # Sign out from every staff page, as the last item (ASVS V7.4.4).
            "slots": {"navigationEnd": _sign_out_item(request)},
        }
    home = reverse("public:home")
    return {
        "serviceName": service_name,
        "serviceUrl": home,
        "navigation": _items(request, PUBLIC_SECTIONS, home),
        "navigationLabel": "Prevent information",
    }


def _sign_out_item(request) -> str:
    if not request.user.is_authenticated:
        return ""
    return render_to_string("accounts/_sign_out_navigation_item.html", request=request)


def council_logo():
    """The council's logo and name for the header (settings.COUNCIL_LOGO)."""
    logo = settings.COUNCIL_LOGO
    src = logo if logo.startswith("https://") else static(logo)
    return format_html('<img class="app-council-logo" src="{}" alt="{}">', src, settings.COUNCIL_NAME)


def footer():
    copyright = {"text": settings.COUNCIL_COPYRIGHT}
    if settings.COUNCIL_COPYRIGHT_URL:
        copyright["href"] = settings.COUNCIL_COPYRIGHT_URL
    return {
        "organisationCopyright": copyright,
        "meta": {
            "visuallyHiddenTitle": "Support links",
            "items": [{"href": reverse(name), "text": text} for name, text in FOOTER_LINKS],
        },
    }


def phase_banner_html(request):
    return format_html(
        'This is a new service. <a class="govuk-link" href="{}">Tell us what you think</a> '
        "to help us improve it.",
        reverse("public:feedback"),
    )
