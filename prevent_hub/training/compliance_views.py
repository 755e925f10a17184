"""Training compliance: how each organisation (or role) stands, one
organisation's learners with their standing (what a school is shown: who is
out of date), and both as spreadsheets (CSV and Excel), audited.

Organisations' training leads see their own organisation only: every read
goes through `access` (selectors.learners_visible, compliance.organisation_for),
and another organisation's page is a 404, as if it did not exist. Each page
reads a fixed number of queries whatever the number of learners: the counts
are one GROUP BY, the list a page of 25 sliced in the database."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_refusal
from prevent_hub.audit.shows import shows_many, shows_nothing_personal
from prevent_hub.core.csv import csv_response
from prevent_hub.core.formatting import govuk_short_date
from prevent_hub.core.xlsx import xlsx_response
from prevent_hub.govuk.pagination import pagination_params

from . import compliance
from .compliance import BY_ORGANISATION, BY_ROLE
from .compliance_forms import OrganisationLearnersFilterForm
from .selectors import (
    DUE_SOON,
    IN_DATE,
    NEVER_TRAINED,
    OVERDUE,
    STANDING_LABELS,
    STANDING_TAGS,
)

LEARNER = "training.learner"
PER_PAGE = 25
TITLE = "Training compliance"
GROUPINGS = {BY_ORGANISATION: "By organisation", BY_ROLE: "By role"}
GROUPING_HEADINGS = {BY_ORGANISATION: "Organisation", BY_ROLE: "Role"}
# A stand-in reference, replaced in the URL reversed once for a page of learners.
SAMPLE_REFERENCE = "LRN-SAMPLE00"


def href_or_blank(name: str, **kwargs) -> str:
    """The address of a page, or "" if it is not (yet) part of the service:
    the learner, course and import pages come with their own branch."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def learner_hrefs():
    """reference → the learner's page ("" when there is none), reversed once
    for a page of learners (references are letters, digits and hyphens)."""
    page = href_or_blank("training:learner", reference=SAMPLE_REFERENCE)
    return lambda reference: page.replace(SAMPLE_REFERENCE, reference) if page else ""


def grouping(request) -> str:
    """"organisation" or "role" from ?by=; anything else is the default view."""
    value = request.GET.get("by", "")
    return value if value in GROUPINGS else BY_ORGANISATION


def _crumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items += [{"text": text, "href": href} for text, href in trail]
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _with_query(href: str, params) -> str:
    query = urlencode(list(params))
    return f"{href}?{query}" if query else href


# The compliance table ------------------------------------------------------------------------


def _see_also(user) -> list[dict]:
    """Links to the other training pages this user may use, those that exist."""
    found = [("training:learners", "Learners", Action.TRAINING_VIEW),
             ("training:imports", "Import completions from a spreadsheet", Action.TRAINING_IMPORT),
             ("training:courses", "Courses and refresh periods", Action.TRAINING_COURSES_MANAGE)]
    return [{"text": text, "href": href} for name, text, action in found
            if can(user, action) and (href := href_or_blank(name))]


def _cards(totals, *, organisation_href: str) -> list[dict]:
    """The summary cards. They link to the learners they count when the user
    sees one organisation (a training lead's own)."""
    found = [("learners", "", "learners"), (IN_DATE, IN_DATE, "in date"),
             (DUE_SOON, DUE_SOON, "due soon"), (OVERDUE, OVERDUE, "overdue"),
             (NEVER_TRAINED, NEVER_TRAINED, "never trained"),
             ("leads_flagged", "", "safeguarding or Prevent leads without the referrals course")]
    cards = []
    for attribute, standing, text in found:
        href = ""
        if organisation_href:
            params = ([("standing", standing)] if standing
                      else [("leads", "flagged")] if attribute == "leads_flagged" else [])
            href = _with_query(organisation_href, params)
        count = getattr(totals, attribute)
        cards.append({"count": count, "text": text, "href": href,
                      "alert": attribute in (OVERDUE, "leads_flagged") and count})
    return cards


NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'


def compliance_table_body(rows) -> str:
    """The table's rows as HTML. Written here rather than in the template:
    a row for each of 300 organisations through the template engine took
    half the page's time (benchmarks/training.py). The label is the only
    text, and it is escaped; the rest are whole numbers."""
    lines = []
    for row in rows:
        label = escape(row.label)
        if row.href:
            label = f'<a class="govuk-link" href="{escape(row.href)}">{label}</a>'
        percent = "—" if row.in_date_percent is None else f"{row.in_date_percent}%"
        cells = "".join(NUMERIC.format(int(value)) for value in (
            row.learners, row.in_date, row.due_soon, row.overdue, row.never_trained, row.leads_flagged))
        lines.append(f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{label}</th>'
                     f"{cells}{NUMERIC.format(percent)}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 - built from escaped text and numbers above


@requires(Action.TRAINING_VIEW)
@require_GET
@shows_nothing_personal("counts of learners per organisation or role: no learner is named")
def home(request):
    user, today, by = request.user, timezone.localdate(), grouping(request)
    rows = compliance.compliance_of(user=user, by=by, today=today)
    if by == BY_ORGANISATION:
        one = (rows[0].key, rows[0].label) if len(rows) == 1 else None
    else:
        one = compliance.only_organisation(user=user)
    totals = compliance.totals_of(rows, label=one[1] if one else "All organisations")
    organisation_page = reverse("training:organisation", kwargs={"pk": 0}).replace("/0/", "/{}/")
    for row in rows:
        row.href = organisation_page.format(row.key) if by == BY_ORGANISATION else ""
    home_href = reverse("training:home")
    may_export = bool(rows) and can(user, Action.TRAINING_EXPORT)
    return render(request, "training/compliance_home.html", {
        "title": TITLE, "by": by, "rows": rows, "table_body": compliance_table_body(rows), "totals": totals,
        "one_organisation": one,
        "heading": GROUPING_HEADINGS[by],
        "cards": _cards(totals, organisation_href=organisation_page.format(one[0]) if one else ""),
        "tabs": [{"label": label, "href": _with_query(home_href, [] if key == BY_ORGANISATION
                                                      else [("by", key)]),
                  "current": key == by} for key, label in GROUPINGS.items()],
        "csv_href": _with_query(reverse("training:compliance-csv"), [("by", by)]) if may_export else "",
        "xlsx_href": reverse("training:compliance-xlsx") if may_export else "",
        "due_soon_days": settings.TRAINING_DUE_SOON_DAYS,
        "see_also": _see_also(user),
        "breadcrumbs": _crumbs(),
    })


COMPLIANCE_COLUMNS = ("Learners", "In date", "Due soon", "Overdue", "Never trained",
                      "Leads without the referrals course in date", "Per cent in date")


def _compliance_rows(rows):
    for row in rows:
        yield (row.label, row.learners, row.in_date, row.due_soon, row.overdue, row.never_trained,
               row.leads_flagged, row.in_date_percent)


def _stamp() -> str:
    return timezone.localtime().strftime("%Y-%m-%d-%H%M")


@requires(Action.TRAINING_EXPORT)
@require_GET
@shows_nothing_personal("counts of learners per organisation or role: no learner is named")
def compliance_csv(request):
    """The compliance table, by organisation or by role, as CSV."""
    by, today = grouping(request), timezone.localdate()
    rows = compliance.compliance_of(user=request.user, by=by, today=today)
    # Counts name no one, but what leaves the service is still recorded.
    audit_read(action=AuditAction.EXPORT, object_type=LEARNER, details={
        "list": "training compliance", "by": by, "rows": len(rows), "format": "csv"})
    return csv_response((GROUPING_HEADINGS[by], *COMPLIANCE_COLUMNS), _compliance_rows(rows),
                        filename=f"training-compliance-by-{by}-{_stamp()}.csv")


@requires(Action.TRAINING_EXPORT)
@require_GET
@shows_nothing_personal("counts of learners per organisation or role: no learner is named")
def compliance_xlsx(request):
    """The compliance table as an Excel workbook: a sheet by organisation and one by role."""
    today = timezone.localdate()
    found = {by: compliance.compliance_of(user=request.user, by=by, today=today) for by in GROUPINGS}
    audit_read(action=AuditAction.EXPORT, object_type=LEARNER, details={
        "list": "training compliance", "by": sorted(GROUPINGS),
        "rows": sum(len(rows) for rows in found.values()), "format": "xlsx"})
    return xlsx_response([(GROUPINGS[by], (GROUPING_HEADINGS[by], *COMPLIANCE_COLUMNS),
                           _compliance_rows(rows)) for by, rows in found.items()],
                         filename=f"training-compliance-{_stamp()}.xlsx")


# One organisation's learners -----------------------------------------------------------------


def _organisation(request, pk):
    """The organisation, if the user may see its learners; else 404 (a
    training lead never learns what another organisation's page holds),
    the refusal audited."""
    organisation = compliance.organisation_for(user=request.user, pk=pk)
    if organisation is None:
        if compliance.organisation_exists(pk):
            audit_refusal(status=404, object_type="accounts.organisation", object_id=str(pk),
                          details={"needed": str(Action.TRAINING_VIEW)})
        raise Http404("No such organisation")
    return organisation


def lead_text(learner) -> str:
    roles = [name for name, holds in (("Designated safeguarding lead", learner.is_safeguarding_lead),
                                      ("Prevent lead", learner.is_prevent_lead)) if holds]
    return ", ".join(roles)


def _row(learner, href) -> dict:
    return {
        "learner": learner, "href": href(learner.reference),
        "standing": STANDING_LABELS[learner.standing], "tag": STANDING_TAGS[learner.standing],
        "trained_until": govuk_short_date(learner.trained_until) if learner.trained_until else "",
        "last_completed": govuk_short_date(learner.last_completed_on) if learner.last_completed_on else "",
        "lead": lead_text(learner),
    }


@requires(Action.TRAINING_VIEW)
@require_GET
@shows_many(LEARNER, part="an organisation's learners and their training standing")
def organisation(request, pk):
    user, today = request.user, timezone.localdate()
    found = _organisation(request, pk)
    form = OrganisationLearnersFilterForm.from_request(request)
    standing, flagged_only = form.chosen()
    learners = compliance.organisation_learners(user=user, organisation=found, today=today,
                                                standing=standing, flagged_only=flagged_only)
    page = Paginator(learners, PER_PAGE).get_page(request.GET.get("page"))
    href = learner_hrefs()
    rows = [_row(learner, href) for learner in page.object_list]
    if rows:
        audit_read(action=AuditAction.SEARCH, object_type=LEARNER, details={
            "list": "organisation's learners", "organisation": found.pk,
            "filters": dict(form.query()), "page": page.number})
    query = form.query()
    may_export = bool(rows) and can(user, Action.TRAINING_EXPORT)
    counts = compliance.compliance_of_organisation(user=user, organisation=found, today=today)
    return render(request, "training/compliance_organisation.html", {
        "title": f"{found.name}: training", "organisation": found, "page": page, "rows": rows,
        "form": form, "filtered": bool(query), "filters_summary": form.summary(), "counts": counts,
        "due_soon_days": settings.TRAINING_DUE_SOON_DAYS,
        "pagination": pagination_params(request, page),
        "csv_href": _with_query(reverse("training:organisation-csv", kwargs={"pk": found.pk}), query)
        if may_export else "",
        "xlsx_href": _with_query(reverse("training:organisation-xlsx", kwargs={"pk": found.pk}), query)
        if may_export else "",
        "breadcrumbs": _crumbs(("Training", reverse("training:home"))),
    })


LEARNER_HEADER = ("Name", "Email", "Role", "Designated safeguarding lead", "Prevent lead", "Standing",
                  "Trained until", "Last completed", "Lead without the referrals course in date")


def _learner_rows(learners):
    for learner in learners.iterator(chunk_size=500):
        yield (learner.full_name, learner.email, learner.job_role, learner.is_safeguarding_lead,
               learner.is_prevent_lead, STANDING_LABELS[learner.standing], learner.trained_until,
               learner.last_completed_on, learner.flagged)


def _organisation_download(request, pk, *, fmt):
    user, today = request.user, timezone.localdate()
    found = _organisation(request, pk)
    form = OrganisationLearnersFilterForm.from_request(request)
    if form.is_bound and not form.is_valid():
        # Back to the list, which says what is wrong with the filters.
        return None, found, form
    standing, flagged_only = form.chosen()
    learners = compliance.organisation_learners(user=user, organisation=found, today=today,
                                                standing=standing, flagged_only=flagged_only)
    audit_read(action=AuditAction.EXPORT, object_type=LEARNER, details={
        "list": "organisation's learners", "organisation": found.pk, "filters": dict(form.query()),
        "rows": learners.count(), "format": fmt})
    return learners, found, form


def _download_name(organisation, extension: str) -> str:
    return f"training-organisation-{organisation.pk}-{_stamp()}.{extension}"


@requires(Action.TRAINING_EXPORT)
@require_GET
@shows_many(LEARNER, part="an organisation's learners and their training standing: download")
def organisation_csv(request, pk):
    learners, found, _form = _organisation_download(request, pk, fmt="csv")
    if learners is None:
        return redirect(_with_query(reverse("training:organisation", kwargs={"pk": found.pk}),
                                    request.GET.items()))
    return csv_response(LEARNER_HEADER, _learner_rows(learners), filename=_download_name(found, "csv"))


@requires(Action.TRAINING_EXPORT)
@require_GET
@shows_many(LEARNER, part="an organisation's learners and their training standing: download")
def organisation_xlsx(request, pk):
    learners, found, _form = _organisation_download(request, pk, fmt="xlsx")
    if learners is None:
        return redirect(_with_query(reverse("training:organisation", kwargs={"pk": found.pk}),
                                    request.GET.items()))
    return xlsx_response([("Learners", LEARNER_HEADER, _learner_rows(learners))],
                         filename=_download_name(found, "xlsx"))
