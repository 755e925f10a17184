"""Person pages: "Identify the person" at triage (repeat-referral matching,
decided by a coordinator) and the person's record with every referral about
them. Views parse, call a service or selector, and render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read, audit_view
from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.referrals.models import MatchDecision, Referral
from prevent_hub.referrals.selectors import referral_get

from . import selectors, services
from .forms import CONFIRM, NEW_PERSON, REJECT, MatchDecisionForm
from .matching import candidates_for_referral
from .names import referral_names

NOT_KNOWN = "Not known"
REFERRAL_TYPE = Referral._meta.label_lower


# Shared pieces -----------------------------------------------------------------


def _breadcrumbs(*trail):
    items = [{"text": "Home", "href": reverse("staff:home")}]
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items, "classes": "govuk-!-display-none-print"}


def _referral_link(referral):
    return format_html('<a class="govuk-link" href="{}">{}</a>',
                       reverse("triage:referral", kwargs={"reference": referral.reference}),
                       referral.reference)


def _person_link(person):
    return format_html('<a class="govuk-link" href="{}">{}</a>',
                       reverse("people:detail", kwargs={"pk": person.pk}), person.full_name)


def _lines(values):
    """Several short values in one summary list cell, one per line."""
    values = [value for value in values if value]
    if not values:
        return {"text": NOT_KNOWN}
    return {"html": format_html_join(mark_safe("<br>"), "{}", ((value,) for value in values))}


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


# Identify the person -------------------------------------------------------------


def _subject_summary(referral):
    names = referral_names(referral)
    if referral.subject_date_of_birth:
        born = govuk_date(referral.subject_date_of_birth)
    elif referral.subject_approximate_age is not None:
        born = f"Not given (age about {referral.subject_approximate_age})"
    else:
        born = NOT_KNOWN
    return {"rows": [
        _row("Name", names[0].full_name if names else ""),
        _row("Other names", _lines(name.full_name for name in names[1:])
             if len(names) > 1 else "None given"),
        _row("Date of birth", born),
        _row("Gender", referral.subject_gender),
        _row("Address", _lines(referral.subject_address.splitlines())),
        _row("Postcode", referral.subject_postcode),
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


def _candidate_view(candidate, decision):
    person = candidate.person
    other_names = [name for name in person.names.all() if name.kind == name.Kind.OTHER]
    return {
        "person": person,
        "decision": decision,
        "decided": (f"{decision.decided_by.full_name} on {govuk_datetime(decision.decided_at)}"
                    if decision else ""),
        "matched_on": candidate.matched_on,
        "summary": {
            "card": {"title": {"text": person.full_name, "headingLevel": 3}},
            "rows": [
                _row("Other names", _lines(str(name) for name in other_names)
                     if other_names else "None recorded"),
                _row("Date of birth", govuk_date(person.date_of_birth)),
                _row("Postcode", person.postcode),
                _row("What matched", {"html": format_html(
                    '<ul class="govuk-list govuk-list--bullet">{}</ul>',
                    format_html_join("", "<li>{}</li>", ((reason,) for reason in candidate.matched_on)),
                )}),
                _row("Earlier referrals", _count(len(candidate.earlier_referrals), "referral")
                     if candidate.earlier_referrals else "None you can see"),
            ],
        },
        "earlier": _earlier_referrals_table(candidate),
        # The buttons say whom they are about to screen reader users too.
        "confirm_button": _answer_button(
            CONFIRM, format_html('Same person<span class="govuk-visually-hidden"> as {}</span>',
                                 person.full_name)),
        "reject_button": _answer_button(
            REJECT, format_html('Not the same person<span class="govuk-visually-hidden"> as {}</span>',
                                person.full_name), classes="govuk-button--secondary"),
    }


def _answer_button(answer, html, **params):
    # Built here: the template tag's own first argument is called "name".
    return {"name": "answer", "value": answer, "html": html, "preventDoubleClick": True, **params}


def _decide(request, referral, form):
    """Carry out the coordinator's answer; returns where to go next."""
    answer = form.cleaned_data["answer"]
    here = reverse("people:identify", kwargs={"reference": referral.reference})
    try:
        if answer == NEW_PERSON:
            person = services.person_create_from_referral(referral=referral, acting_user=request.user)
            messages.success(request, f"You recorded {person.full_name} as a new person and linked "
                                      f"referral {referral.reference} to them.")
            return reverse("people:detail", kwargs={"pk": person.pk})
        person = selectors.person_get(user=request.user, pk=form.cleaned_data["person"])
        if person is None:
            raise Http404("No such person")
        if answer == CONFIRM:
            already = referral.person_id == person.pk
            services.match_confirm(referral=referral, person=person, acting_user=request.user)
            if not already:
                messages.success(request, f"Referral {referral.reference} is now linked to "
                                          f"{person.full_name}.")
            return reverse("people:detail", kwargs={"pk": person.pk})
        services.match_reject(referral=referral, person=person, acting_user=request.user)
        messages.success(request, f"You said {person.full_name} is not the person in referral "
                                  f"{referral.reference}.")
        return here
    except services.AlreadyIdentified as refused:
        messages.info(request, refused.messages[0])
        return here


@requires(Action.PERSON_MATCH)
@require_http_methods(["GET", "POST"])
def identify(request, reference):
    referral = referral_get(user=request.user, reference=reference)
    if referral is None:
        raise Http404("No such referral")
    form = MatchDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return redirect(_decide(request, referral, form))

    audit_view(referral)
    decisions = selectors.match_decisions_for(referral=referral)
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
        }
        return render(request, "people/identify.html", context)

    candidates = candidates_for_referral(referral, user=request.user)
    audit_read(action=AuditAction.SEARCH, object_type=REFERRAL_TYPE, object_id=referral.pk,
               details={"search": "repeat referral candidates", "candidates": len(candidates)})
    views = [_candidate_view(candidate, decisions.get(candidate.person.pk)) for candidate in candidates]
    context["open_candidates"] = [view for view in views if view["decision"] is None
                                  or view["decision"].answer != MatchDecision.Answer.REJECTED]
    context["rejected_candidates"] = [view for view in views if view["decision"] is not None
                                      and view["decision"].answer == MatchDecision.Answer.REJECTED]
    context["new_person_button"] = _answer_button(
        NEW_PERSON, "None of these – record as a new person", classes="govuk-button--secondary")
    return render(request, "people/identify.html", context)


# The person's record ---------------------------------------------------------------


def _person_summary(person):
    others = selectors.person_other_names(person)
    return {"rows": [
        _row("Name", person.full_name),
        _row("Other names", _lines(str(name) for name in others) if others else "None recorded"),
        _row("Date of birth", govuk_date(person.date_of_birth)),
        _row("Gender", person.gender),
        _row("Address", _lines(person.address.splitlines())),
        _row("Postcode", person.postcode),
    ]}


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


@requires(Action.PERSON_VIEW)
def detail(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None:
        raise Http404("No such person")
    audit_view(person)
    referrals = selectors.person_referrals(user=request.user, person=person)
    cases = selectors.person_channel_cases(user=request.user, person=person)
    return render(request, "people/detail.html", {
        "person": person,
        "summary": _person_summary(person),
        "referrals": referrals,
        "referrals_table": _referrals_table(person, referrals) if referrals else None,
        "cases_table": _cases_table(person, cases, {referral.pk for referral in referrals})
        if cases else None,
        "breadcrumbs": _breadcrumbs(),
    })
