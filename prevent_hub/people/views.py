"""Person pages: "Identify the person" at triage (repeat-referral matching and
search, decided by a coordinator), people search, the person's record with
everything each referral said about them, editing it, merging two records of
one person (and undoing that), and saying two records are not the same.
Views parse, call a service or selector, and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, check, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.audit.shows import shows, shows_many
from prevent_hub.core.addresses import format_postcode
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.govuk.forms import add_service_errors
from prevent_hub.govuk.pagination import pagination_params
from prevent_hub.referrals.models import Referral
from prevent_hub.referrals.selectors import referral_get
from prevent_hub.referrals.subject import subject_names

from . import selectors, services
from .forms import (
    CONFIRM,
    NEW_PERSON,
    REJECT,
    MatchDecisionForm,
    PeopleSearchForm,
    PersonEditForm,
    ReasonsForm,
)
from .matching import candidates_and_pending_for_referral, compare, people_facts, people_like, referral_facts
from .models import MatchDecision

NOT_KNOWN = "Not known"
REFERRAL_TYPE = Referral._meta.label_lower
PERSON_TYPE = "people.person"
PEOPLE_PER_PAGE = 25


# Shared pieces -----------------------------------------------------------------


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _referral_link(referral):
    return format_html('<a class="govuk-link" href="{}">{}</a>',
                       reverse("triage:referral", kwargs={"reference": referral.reference}),
                       referral.reference)


def _person_href(person):
    return reverse("people:detail", kwargs={"pk": person.pk})


def _person_link(person):
    return format_html('<a class="govuk-link" href="{}">{}</a>', _person_href(person), person.full_name)


def _lines(values):
    """Several short values in one summary list cell, one per line."""
    values = [value for value in values if value]
    if not values:
        return {"text": NOT_KNOWN}
    return {"html": format_html_join(mark_safe("<br>"), "{}", ((value,) for value in values))}


def _bullets(values):
    return {"html": format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>',
                                format_html_join("", "<li>{}</li>", ((value,) for value in values)))}


def _row(key, value):
    return {"key": {"text": key}, "value": value if isinstance(value, dict) else {"text": value or NOT_KNOWN}}


def _count(number, noun):
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _channel_case_text(referral):
    case = getattr(referral, "channel_case", None)
    return case.reference if case is not None else ""


def _outcome_text(referral):
    if referral.gateway_outcome:
        outcome = referral.get_gateway_outcome_display()
        if referral.gateway_signposted_to:
            outcome = f"{outcome} ({referral.gateway_signposted_to})"
        return outcome
    return f"No outcome yet: {referral.get_status_display().lower()}"


def _born_text(referral):
    if referral.subject_date_of_birth:
        return govuk_date(referral.subject_date_of_birth)
    if referral.subject_approximate_age is not None:
        given_on = govuk_date(referral.received_at)
        return f"Not given (age about {referral.subject_approximate_age} on {given_on})"
    return NOT_KNOWN


def _button(value, html, *, name="answer", **params):
    # Built here: the template tag's own first argument is called "name".
    return {"name": name, "value": value, "html": html, "preventDoubleClick": True, **params}


def _other_names_row(person):
    others = selectors.person_other_names(person)
    return _row("Other names", _lines(str(name) for name in others) if others else "None recorded")


def _matched_rows(candidate):
    rows = [_row("What matches", _bullets(candidate.matched_on))]
    if candidate.differs:
        rows.append(_row("What differs", _bullets(candidate.differs)))
    return rows


# Identify the person -------------------------------------------------------------


def _subject_summary(referral):
    names = subject_names(referral)
    return {"rows": [
        _row("Name", names[0].full_name if names and referral.subject_name else ""),
        _row("Other names", _lines(name.full_name for name in names[1:]) if len(names) > 1 else "None given"),
        _row("Description", {"text": referral.subject_description} if referral.subject_description
             else "None given"),
        _row("Date of birth", _born_text(referral)),
        _row("Gender", referral.subject_gender),
        _row("Address", _lines(referral.subject_address.splitlines())),
        _row("Postcode", format_postcode(referral.subject_postcode_key)),
        _row("School, college or employer", referral.subject_school_or_employer),
    ]}


def _earlier_referrals_table(candidate):
    referrals = candidate.earlier_referrals
    if not referrals:
        return None
    return {
        "caption": f"Earlier referrals about {candidate.person.full_name}, oldest first",
        "captionClasses": "govuk-table__caption--s",
        "classes": "govuk-table--small-text-until-tablet",
        "head": [{"text": "Reference"}, {"text": "Received"}, {"text": "Gateway outcome"},
                 {"text": "Channel case"}],
        "rows": [[
            {"html": _referral_link(referral)},
            {"text": govuk_date(referral.received_at)},
            {"text": _outcome_text(referral)},
            {"text": _channel_case_text(referral) or "None"},
        ] for referral in referrals],
    }


def _person_card_rows(person):
    return [
        _other_names_row(person),
        _row("Date of birth", govuk_date(person.date_of_birth)),
        _row("Postcode", format_postcode(person.postcode)),
    ]


def _candidate_view(candidate, decision):
    person = candidate.person
    return {
        "person": person,
        "decision": decision,
        "decided": (f"{decision.decided_by.full_name} on {govuk_datetime(decision.decided_at)}"
                    if decision else ""),
        "summary": {
            "card": {"title": {"text": person.full_name, "headingLevel": 3}},
            "rows": [
                *_person_card_rows(person),
                *_matched_rows(candidate),
                _row("Earlier referrals", _count(len(candidate.earlier_referrals), "referral")
                     if candidate.earlier_referrals else "None you can see"),
            ],
        },
        "earlier": _earlier_referrals_table(candidate),
        # The buttons say whom they are about to screen reader users too.
        "confirm_button": _button(
            CONFIRM, format_html('Same person<span class="govuk-visually-hidden"> as {}</span>',
                                 person.full_name)),
        "reject_button": _button(
            REJECT, format_html('Not the same person<span class="govuk-visually-hidden"> as {}</span>',
                                person.full_name), classes="govuk-button--secondary"),
    }


def _when_received(referral) -> str:
    days = (timezone.localdate() - timezone.localtime(referral.received_at).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return govuk_date(referral.received_at)


def _pending_view(candidate):
    """A referral not yet linked to anyone that may be about the same person."""
    referral = candidate.referral
    return {
        "referral": referral,
        "line": format_html(
            "{} received {}, not yet identified: {}", _referral_link(referral), _when_received(referral),
            ", ".join(candidate.comparison.short)),
        "matched_on": candidate.matched_on,
        "differs": candidate.differs,
        "identify_href": reverse("people:identify", kwargs={"reference": referral.reference}),
    }


TOO_BROAD = ("More than {limit:,} people match your search. Add more to it, for example a date of birth or a "
             "whole postcode.")


def _people_found(request, form, criteria, *, screen, **details):
    """The people matching `criteria`, or None (with a message on the form,
    and the search audited) when far too many match to be any help."""
    try:
        return selectors.people_search(user=request.user, search=criteria)
    except selectors.SearchTooBroad as too_broad:
        audit_read(action=AuditAction.SEARCH, object_type=PERSON_TYPE, details={
            "screen": screen, **details, **criteria.for_audit(), "results": too_broad.args[0]})
        form.add_error(None, TOO_BROAD.format(limit=selectors.SEARCH_LIMIT))
        return None


def _search_results_for_linking(request, referral, form):
    """People found by the search on "Identify the person", each with a button
    to link the referral to them."""
    search = form.search()
    if search is None:
        return None
    found = _people_found(request, form, search, screen="identify the person", referral=referral.reference)
    if found is None:
        return None
    found = list(found[:PEOPLE_PER_PAGE + 1])
    audit_read(action=AuditAction.SEARCH, object_type=PERSON_TYPE, details={
        "screen": "identify the person", "referral": referral.reference, **search.for_audit(),
        "results": len(found[:PEOPLE_PER_PAGE])})
    facts = referral_facts(referral)
    theirs = people_facts(found[:PEOPLE_PER_PAGE], user=request.user)
    results = []
    for person in found[:PEOPLE_PER_PAGE]:
        comparison = compare(facts, theirs[person.pk])
        rows = _person_card_rows(person)
        if comparison.matched:
            rows.append(_row("What matches", _bullets(comparison.matched.values())))
        if comparison.differs:
            rows.append(_row("What differs", _bullets(comparison.differs.values())))
        results.append({
            "person": person,
            "summary": {"card": {"title": {"text": person.full_name, "headingLevel": 3}}, "rows": rows},
            "link_button": _button(CONFIRM, format_html(
                'Link this referral to {}<span class="govuk-visually-hidden"> ({})</span>', person.full_name,
                referral.reference)),
        })
    return {"results": results, "more": len(found) > PEOPLE_PER_PAGE,
            "search_href": f"{reverse('people:search')}?{form.query()}"}


def _decide(request, referral, form):
    """Carry out the coordinator's answer; returns where to go next."""
    answer = form.cleaned_data["answer"]
    here = reverse("people:identify", kwargs={"reference": referral.reference})
    try:
        if answer == NEW_PERSON:
            person = services.person_create_from_referral(referral=referral, acting_user=request.user)
            messages.success(request, f"You recorded {person.full_name} as a new person and linked "
                                      f"referral {referral.reference} to them.")
            return _person_href(person)
        person = selectors.person_get(user=request.user, pk=form.cleaned_data["person"])
        if person is None:
            raise Http404("No such person")
        if answer == CONFIRM:
            already = referral.person_id == person.pk
            services.match_confirm(referral=referral, person=person, acting_user=request.user)
            if not already:
                messages.success(request, f"Referral {referral.reference} is now linked to "
                                          f"{person.full_name}.")
            return _person_href(person)
        services.match_reject(referral=referral, person=person, acting_user=request.user)
        messages.success(request, f"You said {person.full_name} is not the person in referral "
                                  f"{referral.reference}.")
        return here
    except ValidationError as refused:
        messages.info(request, refused.messages[0])
        return here


@requires(Action.PERSON_MATCH)
@require_http_methods(["GET", "POST"])
@shows("referrals.referral", part="identify the person", kwarg="reference", lookup="reference")
def identify(request, reference):
    referral = referral_get(user=request.user, reference=reference)
    if referral is None:
        raise Http404("No such referral")
    form = MatchDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return redirect(_decide(request, referral, form))

    audit_view(referral)
    context = {
        "referral": referral,
        "form": form,
        "subject": _subject_summary(referral),
        "breadcrumbs": _breadcrumbs((f"Referral {referral.reference}", reverse(
            "triage:referral", kwargs={"reference": referral.reference}))),
    }
    if referral.person_id is not None:
        context["linked"] = {
            "person": referral.person,
            "by": referral.person_confirmed_by.full_name if referral.person_confirmed_by else "",
            "at": govuk_datetime(referral.person_confirmed_at),
            # Imported with a person record of its own that nobody has confirmed
            # (legacy_import): the coordinator checks it on the person's record.
            "unconfirmed_import": (referral.imported_at is not None
                                   and referral.person_confirmed_by_id is None),
        }
        return render(request, "people/identify.html", context)

    candidates, pending = candidates_and_pending_for_referral(referral, user=request.user)
    audit_read(action=AuditAction.SEARCH, object_type=REFERRAL_TYPE, object_id=referral.pk,
               details={"search": "repeat referral candidates", "candidates": len(candidates),
                        "referrals not yet identified": len(pending)})
    decisions = selectors.match_decisions_for(referral=referral)
    views = [_candidate_view(candidate, decisions.get(candidate.person.pk)) for candidate in candidates]
    search_form = PeopleSearchForm.from_request(request)
    context.update({
        "open_candidates": [view for view in views if view["decision"] is None
                            or view["decision"].answer != MatchDecision.Answer.REJECTED],
        "rejected_candidates": [view for view in views if view["decision"] is not None
                                and view["decision"].answer == MatchDecision.Answer.REJECTED],
        "pending": [_pending_view(candidate) for candidate in pending],
        "search_form": search_form,
        "search": _search_results_for_linking(request, referral, search_form),
        "new_person_button": _button(NEW_PERSON, "None of these – record as a new person",
                                     classes="govuk-button--secondary"),
    })
    return render(request, "people/identify.html", context)


# People search ------------------------------------------------------------------------------


def _results_table(people, counts):
    return {
        "caption": "People found, by last name",
        "captionClasses": "govuk-visually-hidden",
        "classes": "govuk-table--small-text-until-tablet",
        "head": [{"text": "Name"}, {"text": "Other names"}, {"text": "Date of birth"}, {"text": "Postcode"},
                 {"text": "Referrals"}],
        "rows": [[
            {"html": _person_link(person)},
            {"text": "; ".join(str(name) for name in selectors.person_other_names(person))
                     or "None recorded"},
            {"text": govuk_date(person.date_of_birth) or NOT_KNOWN},
            {"text": format_postcode(person.postcode) or NOT_KNOWN},
            {"text": str(counts.get(person.pk, 0)), "format": "numeric"},
        ] for person in people],
    }


@requires(Action.PERSON_SEARCH)
@require_GET
@shows_many("people.person", part="people search")
def search(request):
    form = PeopleSearchForm.from_request(request)
    criteria = form.search()
    context = {"form": form, "search_form": form, "breadcrumbs": _breadcrumbs()}
    found = _people_found(request, form, criteria, screen="people search") if criteria else None
    if found is not None:
        page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
        people = [selectors.person_as_seen(person, user=request.user) for person in page.object_list]
        audit_read(action=AuditAction.SEARCH, object_type=PERSON_TYPE, details={
            "screen": "people search", **criteria.for_audit(), "results": page.paginator.count,
            "page": page.number})
        context.update({
            "searched": True,
            "page": page,
            "results_table": _results_table(people, selectors.referral_counts(
                user=request.user, people=people)) if people else None,
            "pagination": pagination_params(request, page),
        })
    return render(request, "people/search.html", context)


# The person's record ---------------------------------------------------------------


def _person_summary(person):
    return {"rows": [
        _row("Name", person.full_name),
        _other_names_row(person),
        _row("Date of birth", govuk_date(person.date_of_birth)),
        _row("Gender", person.gender),
        _row("Address", _lines(person.address.splitlines())),
        _row("Postcode", format_postcode(person.postcode)),
        _row("School, college or employer", person.school_or_employer),
    ]}


def _what_referral_said(referral):
    """One referral's answers about the person, as its card on their record."""
    names = [str(name) for name in referral.names.all()]
    return {
        "card": {"title": {"html": format_html("What {} said, received {}", _referral_link(referral),
                                               govuk_date(referral.received_at)), "headingLevel": 3}},
        "rows": [
            _row("Names", _lines(names) if names else "None given"),
            _row("Description", {"text": referral.subject_description} if referral.subject_description
                 else "None given"),
            _row("Date of birth", _born_text(referral)),
            _row("Address", _lines(referral.subject_address.splitlines())),
            _row("Postcode", format_postcode(referral.subject_postcode_key)),
            _row("School, college or employer", referral.subject_school_or_employer),
        ],
    }


def _referrals_table(person, referrals):
    return {
        "caption": f"Referrals about {person.full_name}, oldest first",
        "captionClasses": "govuk-visually-hidden",
        "classes": "govuk-table--small-text-until-tablet",
        "head": [{"text": "Reference"}, {"text": "Received"}, {"text": "Type"}, {"text": "Status"},
                 {"text": "Gateway outcome"}],
        "rows": [[
            {"html": _referral_link(referral)},
            {"text": govuk_date(referral.received_at)},
            {"text": referral.get_kind_display()},
            {"text": referral.get_status_display()},
            {"text": _outcome_text(referral) if referral.gateway_outcome else "Not recorded yet"},
        ] for referral in referrals],
    }


def _cases_table(person, cases, visible_referrals):
    return {
        "caption": f"Channel cases for {person.full_name}",
        "captionClasses": "govuk-visually-hidden",
        "head": [{"text": "Case"}, {"text": "Opened"}, {"text": "From referral"}, {"text": "Status"}],
        "rows": [[
            {"html": format_html('<a class="govuk-link" href="{}">{}</a>',
                                 reverse("channel:case-detail", kwargs={"pk": case.pk}), case.reference)},
            {"text": govuk_date(case.opened_at)},
            {"text": case.referral.reference if case.referral_id in visible_referrals else "–"},
            {"text": case.get_status_display()},
        ] for case in cases],
    }


def _change_text(item) -> str:
    if item["field"] in ("merge", "not_same"):
        return item["after"]
    before = f"“{item['before']}”" if item["before"] else "blank"
    after = f"“{item['after']}”" if item["after"] else "blank"
    return f"{item['label']}: was {before}, now {after}"


def _history(person):
    return [{
        "when": govuk_datetime(change.changed_at),
        "who": change.changed_by.full_name,
        "what": change.get_kind_display(),
        "changes": [_change_text(item) for item in change.changes],
        "reasons": change.reasons,
    } for change in selectors.person_history(person=person)]


def _merges(request, person):
    may_merge = can(request.user, Action.PERSON_MERGE)
    return [{
        "merge": merge,
        "text": (format_html("{} was merged into this record", _person_link(merge.merged))
                 if merge.kept_id == person.pk else
                 format_html("This record was merged into {}", _person_link(merge.kept))),
        "when": govuk_datetime(merge.merged_at),
        "by": merge.merged_by.full_name,
        "undone": govuk_datetime(merge.undone_at) if merge.undone_at else "",
        "undo_href": (reverse("people:merge-undo", kwargs={"pk": merge.pk})
                      if may_merge and merge.undone_at is None else ""),
    } for merge in selectors.person_merges(person=person)]


def _alike_view(person, candidate):
    other = candidate.person
    return {
        "person": other,
        "summary": {
            "card": {"title": {"html": _person_link(other), "headingLevel": 3}},
            "rows": [*_person_card_rows(other), *_matched_rows(candidate),
                     _row("Referrals", _count(len(candidate.earlier_referrals), "referral")
                          if candidate.earlier_referrals else "None you can see")],
        },
        "merge_href": reverse("people:merge-confirm", kwargs={"pk": person.pk, "other": other.pk}),
        "not_same_href": reverse("people:not-same", kwargs={"pk": person.pk, "other": other.pk}),
    }


@requires(Action.PERSON_VIEW)
@require_GET
@shows("people.person", part="person record")
def detail(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None:
        raise Http404("No such person")
    audit_view(person)
    user = request.user
    context = {"person": person, "breadcrumbs": _breadcrumbs((
        "People", reverse("people:search"))) if can(user, Action.PERSON_SEARCH) else _breadcrumbs(),
        "merges": _merges(request, person)}
    if person.merged_into_id is not None:
        return render(request, "people/merged.html", context)
    referrals = selectors.person_referrals(user=user, person=person)
    cases = selectors.person_channel_cases(user=user, person=person)
    context.update({
        "summary": _person_summary(person),
        "referrals": referrals,
        "what_referrals_said": [_what_referral_said(referral) for referral in referrals],
        "referrals_table": _referrals_table(person, referrals) if referrals else None,
        "cases_table": (_cases_table(person, cases, {referral.pk for referral in referrals})
                        if cases else None),
        "history": _history(person),
        "edit_href": (reverse("people:edit", kwargs={"pk": person.pk})
                      if can(user, Action.PERSON_EDIT, person) else ""),
    })
    if can(user, Action.PERSON_MERGE, person):
        alike, pending = people_like(person, user=user)
        audit_read(action=AuditAction.SEARCH, object_type=PERSON_TYPE, object_id=person.pk,
                   details={"search": "records that may be the same person", "candidates": len(alike),
                            "referrals not yet identified": len(pending)})
        context.update({
            "alike": [_alike_view(person, candidate) for candidate in alike],
            "pending": [_pending_view(candidate) for candidate in pending],
            "merge_href": reverse("people:merge", kwargs={"pk": person.pk}),
        })
    return render(request, "people/detail.html", context)


def _editable_person(request, pk, action=Action.PERSON_EDIT):
    """The person, if the user may see it (else 404) and change it: a record
    whose processing is restricted is refused (audited 403)."""
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None or person.merged_into_id is not None:
        raise Http404("No such person")
    check(request, action, person)
    return person


def _edit_initial(person):
    return {
        "given_name": person.given_name, "family_name": person.family_name,
        "other_names": "\n".join(str(name) for name in selectors.person_other_names(person)),
        "date_of_birth": person.date_of_birth, "gender": person.gender, "address": person.address,
        "postcode": format_postcode(person.postcode), "school_or_employer": person.school_or_employer,
    }


@requires(Action.PERSON_EDIT)
@require_http_methods(["GET", "POST"])
@shows("people.person", part="edit person form")
def edit(request, pk):
    person = _editable_person(request, pk)
    if request.method == "POST":
        form = PersonEditForm(request.POST)
        if form.is_valid():
            try:
                changed = services.person_update(person=person, details=form.details(),
                                                 reasons=form.cleaned_data["reasons"],
                                                 acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if changed:
                    messages.success(request, f"You changed {person.full_name}’s details. What they were "
                                              "is kept in the record’s history.")
                else:
                    messages.info(request, "You did not change any details, so nothing was recorded.")
                return redirect(_person_href(person))
    else:
        audit_view(person)
        form = PersonEditForm(initial=_edit_initial(person))
    return render(request, "people/edit.html", {
        "person": person, "form": form,
        "breadcrumbs": _breadcrumbs((person.full_name, _person_href(person))),
    })


# Merging ------------------------------------------------------------------------------------


@requires(Action.PERSON_MERGE)
@require_GET
@shows("people.person", part="merge: find the other record")
def merge(request, pk):
    """Choose the record to merge into this one: found by search, or one of
    those that may be the same person."""
    person = _editable_person(request, pk, Action.PERSON_MERGE)
    audit_view(person)
    form = PeopleSearchForm.from_request(request)
    criteria = form.search()
    results = None
    found = (_people_found(request, form, criteria, screen="merge records", person=person.pk)
             if criteria else None)
    if found is not None:
        found = list(found.exclude(pk=person.pk)[:PEOPLE_PER_PAGE])
        audit_read(action=AuditAction.SEARCH, object_type=PERSON_TYPE, details={
            "screen": "merge records", "person": person.pk, **criteria.for_audit(), "results": len(found)})
        results = [{"person": other, "summary": {
            "card": {"title": {"text": other.full_name, "headingLevel": 3}},
            "rows": _person_card_rows(other)},
            "choose_href": reverse("people:merge-confirm", kwargs={"pk": person.pk, "other": other.pk})}
            for other in found]
    alike, _pending = people_like(person, user=request.user)
    return render(request, "people/merge.html", {
        "person": person, "form": form, "search_form": form, "results": results,
        "alike": [_alike_view(person, candidate) for candidate in alike],
        "breadcrumbs": _breadcrumbs((person.full_name, _person_href(person))),
    })


def _comparison_rows(person, other, *, user):
    facts = people_facts([person, other], user=user)
    comparison = compare(facts[person.pk], facts[other.pk],
                         here="on this record", there="on the other record")
    rows = [_row("What matches", _bullets(comparison.matched.values()) if comparison.matched else "Nothing")]
    if comparison.differs:
        rows.append(_row("What differs", _bullets(comparison.differs.values())))
    return rows


def _moving(other, *, user):
    referrals = selectors.person_referrals(user=user, person=other)
    cases = selectors.person_channel_cases(user=user, person=other)
    names = [*([other.full_name] if other.full_name else []),
             *(str(name) for name in selectors.person_other_names(other))]
    return [f"{_count(len(referrals), 'referral')}" + (
        f" ({', '.join(referral.reference for referral in referrals)})" if referrals else ""),
        f"{_count(len(cases), 'Channel case')}" + (
        f" ({', '.join(case.reference for case in cases)})" if cases else ""),
        "their timeline",
        f"their names, as other names: {'; '.join(names)}" if names else "no names"]


@requires(Action.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
@shows("people.person", part="merge confirmation")
def merge_confirm(request, pk, other):
    person = _editable_person(request, pk, Action.PERSON_MERGE)
    other_person = _editable_person(request, other, Action.PERSON_MERGE)
    if person.pk == other_person.pk:
        raise Http404("Choose a different record")
    form = ReasonsForm(request.POST if request.method == "POST" else None,
                       label="Why are these the same person?",
                       help_text="For example, the school confirmed both referrals are about the same pupil. "
                                 "This is kept with the merge.",
                       required_message="Enter why these are the same person")
    if form.is_valid():
        try:
            done = services.person_merge(kept=person, merged=other_person,
                                         reasons=form.cleaned_data["reasons"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, format_html(
                "You merged the record of {} into this one. If that was wrong, you can "
                '<a class="govuk-notification-banner__link" href="{}">undo the merge</a>.',
                other_person.full_name, reverse("people:merge-undo", kwargs={"pk": done.pk})))
            return redirect(_person_href(person))
    if request.method == "GET":
        audit_view(person)
        audit_view(other_person)
    return render(request, "people/merge_confirm.html", {
        "person": person, "other": other_person, "form": form,
        "kept_summary": {"card": {"title": {"text": f"Kept: {person.full_name}", "headingLevel": 3}},
                         "rows": _person_summary(person)["rows"]},
        "merged_summary": {"card": {"title": {"text": f"Merged into it: {other_person.full_name}",
                                              "headingLevel": 3}},
                           "rows": _person_summary(other_person)["rows"]},
        "comparison": {"rows": _comparison_rows(person, other_person, user=request.user)},
        "moving": _moving(other_person, user=request.user),
        "breadcrumbs": _breadcrumbs((person.full_name, _person_href(person))),
    })


@requires(Action.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
@shows("people.personmerge", part="undo merge confirmation")
def merge_undo(request, pk):
    done = selectors.merge_get(user=request.user, pk=pk)
    if done is None:
        raise Http404("No such merge")
    check(request, Action.PERSON_MERGE, done.kept)
    if done.undone_at is not None:
        messages.info(request, "This merge has already been undone.")
        return redirect(_person_href(done.merged))
    form = ReasonsForm(request.POST if request.method == "POST" else None, label="Why was this merge wrong?",
                       help_text="This is kept with the merge in both records’ history.",
                       required_message="Enter why this merge was wrong")
    if form.is_valid():
        try:
            services.person_merge_undo(merge=done, reasons=form.cleaned_data["reasons"],
                                       acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You undid the merge. {done.merged.full_name} has a record of their "
                                      "own again, with what the merge moved.")
            return redirect(_person_href(done.merged))
    if request.method == "GET":
        audit_view(done.kept)
        audit_view(done.merged)
    return render(request, "people/merge_undo.html", {
        "merge": done, "form": form, "when": govuk_datetime(done.merged_at),
        "moving": done.moved,
        "breadcrumbs": _breadcrumbs((done.kept.full_name, _person_href(done.kept))),
    })


@requires(Action.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
@shows("people.person", part="not the same person confirmation")
def not_same(request, pk, other):
    person = _editable_person(request, pk, Action.PERSON_MERGE)
    other_person = _editable_person(request, other, Action.PERSON_MERGE)
    if person.pk == other_person.pk:
        raise Http404("Choose a different record")
    form = ReasonsForm(request.POST if request.method == "POST" else None, label="Reasons (optional)",
                       help_text="For example, different dates of birth confirmed by their schools.",
                       required=False)
    if form.is_valid():
        services.people_not_same(person=person, other=other_person, reasons=form.cleaned_data["reasons"],
                                 acting_user=request.user)
        messages.success(request, f"You recorded that {person.full_name} and {other_person.full_name} "
                                  "are not the same person. They will not be offered as possibly the same "
                                  "again.")
        return redirect(_person_href(person))
    if request.method == "GET":
        audit_view(person)
        audit_view(other_person)
    return render(request, "people/not_same.html", {
        "person": person, "other": other_person, "form": form,
        "comparison": {"rows": _comparison_rows(person, other_person, user=request.user)},
        "breadcrumbs": _breadcrumbs((person.full_name, _person_href(person))),
    })
