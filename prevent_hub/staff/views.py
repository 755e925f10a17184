from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.core.navigation import STAFF_SECTIONS

DESCRIPTIONS = {
    "triage:queue": "New referrals, those shared with police and gateway outcomes, with their clocks.",
    "people:search": ("Find a person by any spelling of their name, their date of birth, postcode, or the "
                      "reference of a referral or case about them."),
    "channel:my-tasks": "Actions you own, reviews on your cases and your overdue information requests.",
    "channel:dashboard": "What is due or overdue across Channel cases, with counts.",
    "channel:case-list": "Cases opened when the police gateway outcome is proceed to Channel.",
    "panels:home": "Channel panel meetings: agendas, attendance, decisions and minutes.",
    "training:home": ("Who is trained in Prevent, by organisation and role: in date, due soon, overdue and "
                      "never trained; learners, courses and spreadsheet imports."),
    "assurance:summary": ("The year's Prevent duty assurance summary: training with referrals, gateway "
                          "outcomes, Channel, panels, complaints and venue bookings, on one page."),
    "statistics:dashboard": ("The year's Prevent statistics as the national release counts them: referrals, "
                             "panels and adoptions by sector, age, gender, concern and more, with charts and "
                             "downloads; small numbers hidden."),
    "statistics:equality": ("Referral rates per 10,000 people by ethnicity, sex and age band against the "
                            "area's population, to spot disproportionality: figures only, small numbers "
                            "hidden."),
    "legacy_import:imports": ("Bring referrals from the council's earlier records (a spreadsheet) into "
                              "Prevent Hub: checked row by row first, then imported all together."),
    "training:own": "Your Prevent training: the courses you have completed and when to refresh them.",
    "audit:search": "Search who viewed, searched, exported or changed what, and when.",
    "venues:dashboard": ("Requests to hire a council venue awaiting action, with their clocks; venue "
                         "calendars and quarterly counts; venues, booking conditions and letters to "
                         "bookers."),
    "administration:index": "Users, roles, organisations and the public contact directory.",
    "accounts:account": "Your second factor, recovery codes and signed-in sessions.",
}


@requires(Action.STAFF_HOME)
@shows_nothing_personal("links and counts of work only")
def home(request):
    areas = [
        {"href": reverse(name), "text": text, "description": DESCRIPTIONS.get(name, "")}
        for name, text, action in STAFF_SECTIONS
        if name != "staff:home" and can(request.user, action)
    ]
    return render(request, "staff/home.html", {"areas": areas})


@requires(Action.STAFF_HOME)
@shows_nothing_personal("the page not found")
def not_found(request, path):
    """Unknown staff URLs need sign-in first, so the staff area's shape is not
    revealed to anonymous visitors; signed in, they are a plain 404."""
    raise Http404(path)
