"""Venue booking officers' administration: venues, rooms, opening hours and
closures, the versioned booking conditions and the wording of letters to
bookers. Views parse, call a service or selector, render; the services hold
the rules and write the audit events."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, requires
from prevent_hub.audit.models import AuditAction
from prevent_hub.audit.services import audit_read
from prevent_hub.audit.shows import shows_many, shows_nothing_personal
from prevent_hub.core.formatting import govuk_date, govuk_datetime, govuk_short_date
from prevent_hub.govuk.forms import form_submitted
from prevent_hub.govuk.pagination import pagination_params

from . import selectors, services
from .dashboard_views import BOOKING_TYPE, STATUS_TAG, booking_hrefs, breadcrumbs, times
from .letters import PLACEHOLDERS
from .models import BookingConditions, Closure, LetterKind, LetterTemplate, Room, Venue, Weekday
from .venue_forms import (
    ClosureForm,
    ConditionsForm,
    ConfirmForm,
    LetterTemplateForm,
    OpeningHoursForm,
    RoomChangeForm,
    RoomForm,
    VenueChangeForm,
    VenueForm,
    clause_count_posted,
)

NOTHING_PERSONAL = "the council's venues, rooms, opening hours and closures"
BOOKINGS_PER_PAGE = 50


def _venues_crumbs(*trail):
    return breadcrumbs(("Venues", reverse("venues:venues")), *trail)


def _venue_crumbs(venue, *trail):
    return _venues_crumbs((venue.name, reverse("venues:venue", kwargs={"pk": venue.pk})), *trail)


def _form_page(request, *, title, form, button, cancel, crumbs, caption="", template="venues/venue/form.html",
               **extra):
    return render(request, template, {"title": title, "caption": caption, "form": form, "button": button,
                                      "cancel": cancel, "breadcrumbs": crumbs, **extra})


def _venue_href(venue) -> str:
    return reverse("venues:venue", kwargs={"pk": venue.pk})


# Venues --------------------------------------------------------------------------------


@requires(Action.VENUE_MANAGE)
@require_GET
@shows_nothing_personal(NOTHING_PERSONAL)
def venue_list(request):
    return render(request, "venues/venue/list.html", {
        "title": "Venues", "venues": selectors.venues_listed(), "breadcrumbs": breadcrumbs()})


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def venue_new(request):
    form = VenueForm(request.POST or None)
    venue = form_submitted(request, form, lambda data: services.venue_create(
        name=data["name"], kind=data["kind"], address=data["address"], acting_user=request.user))
    if venue:
        messages.success(request, f"{venue.name} added. Add its rooms and set its opening hours: until then "
                                  "it cannot be booked.")
        return redirect(_venue_href(venue))
    return _form_page(request, title="Add a venue", form=form, button="Add the venue",
                      cancel=reverse("venues:venues"), crumbs=_venues_crumbs())


@requires(Action.VENUE_MANAGE)
@require_GET
@shows_nothing_personal(NOTHING_PERSONAL)
def venue_detail(request, pk):
    venue = get_object_or_404(Venue, pk=pk)
    today = timezone.localdate()
    hours = selectors.opening_hours_by_weekday(venue)
    closures = list(Closure.objects.filter(venue=venue, ends_on__gte=today).select_related("room"))
    return render(request, "venues/venue/detail.html", {
        "title": venue.name, "venue": venue, "rooms": list(venue.rooms.order_by("name")),
        "hours": [(day.label, hours.get(day.value)) for day in Weekday],
        "closures": [{"closure": closure, "dates": _closure_dates(closure),
                      "href": reverse("venues:closure", kwargs={"pk": venue.pk, "closure_pk": closure.pk})}
                     for closure in closures],
        "past_closures": Closure.objects.filter(venue=venue, ends_on__lt=today).count(),
        "breadcrumbs": _venues_crumbs()})


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def venue_edit(request, pk):
    venue = get_object_or_404(Venue, pk=pk)
    form = VenueChangeForm(request.POST or None, initial={
        "name": venue.name, "kind": venue.kind, "address": venue.address, "active": venue.active})
    changed = form_submitted(request, form, lambda data: services.venue_update(
        venue=venue, name=data["name"], kind=data["kind"], address=data["address"], active=data["active"],
        acting_user=request.user))
    if changed:
        messages.success(request, f"{changed.name} saved.")
        return redirect(_venue_href(changed))
    return _form_page(request, title="Change the venue's details", caption=venue.name, form=form,
                      button="Save the venue", cancel=_venue_href(venue), crumbs=_venue_crumbs(venue))


# Rooms -----------------------------------------------------------------------------------


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def room_new(request, pk):
    venue = get_object_or_404(Venue, pk=pk)
    form = RoomForm(request.POST or None)
    room = form_submitted(request, form, lambda data: services.room_create(
        venue=venue, name=data["name"], capacity=data["capacity"], acting_user=request.user))
    if room:
        messages.success(request, f"{room.name} added to {venue.name}.")
        return redirect(_venue_href(venue))
    return _form_page(request, title="Add a room", caption=venue.name, form=form, button="Add the room",
                      cancel=_venue_href(venue), crumbs=_venue_crumbs(venue))


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def room_edit(request, pk, room_pk):
    room = get_object_or_404(Room.objects.select_related("venue"), pk=room_pk, venue_id=pk)
    venue = room.venue
    form = RoomChangeForm(request.POST or None, initial={
        "name": room.name, "capacity": room.capacity, "active": room.active})
    changed = form_submitted(request, form, lambda data: services.room_update(
        room=room, name=data["name"], capacity=data["capacity"], active=data["active"],
        acting_user=request.user))
    if changed:
        messages.success(request, f"{changed.name} saved.")
        return redirect(_venue_href(venue))
    return _form_page(request, title="Change the room", caption=venue.name, form=form, button="Save the room",
                      cancel=_venue_href(venue), crumbs=_venue_crumbs(venue))


# Opening hours ---------------------------------------------------------------------------


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def opening_hours(request, pk):
    venue = get_object_or_404(Venue, pk=pk)
    form = OpeningHoursForm(request.POST or None, hours=selectors.opening_hours_by_weekday(venue))
    saved = form_submitted(request, form, lambda data: services.opening_hours_set(
        venue=venue, hours=form.hours(), acting_user=request.user))
    if saved is not None:
        messages.success(request, f"Opening hours of {venue.name} saved. Bookings already made are not "
                                  "changed: check any that fall outside the new hours.")
        return redirect(_venue_href(venue))
    return _form_page(request, title="Opening hours", caption=venue.name, form=form,
                      button="Save opening hours", cancel=_venue_href(venue), crumbs=_venue_crumbs(venue),
                      template="venues/venue/hours.html")


# Closures --------------------------------------------------------------------------------


def _closure_dates(closure) -> str:
    if closure.starts_on == closure.ends_on:
        return govuk_date(closure.starts_on)
    return f"{govuk_date(closure.starts_on)} to {govuk_date(closure.ends_on)}"


def _still_held(count: int) -> str:
    held = "1 booking still holds" if count == 1 else f"{count} bookings still hold"
    return f"{held} a room on these days. Rearrange or cancel each one from its page, and tell the booker."


def _closure(pk, closure_pk):
    return get_object_or_404(Closure.objects.select_related("venue", "room"), pk=closure_pk, venue_id=pk)


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def closure_new(request, pk):
    venue = get_object_or_404(Venue, pk=pk)
    form = ClosureForm(request.POST or None, rooms=venue.rooms.order_by("name"))
    closure = form_submitted(request, form, lambda data: services.closure_add(
        venue=venue, room=form.room_chosen(), starts_on=data["starts_on"], ends_on=data["ends_on"],
        reason=data["reason"], acting_user=request.user))
    if closure:
        messages.success(request, f"Closure added: {closure.room or venue} cannot be booked "
                                  f"{_closure_dates(closure)}.")
        return redirect("venues:closure", pk=venue.pk, closure_pk=closure.pk)
    return _form_page(request, title="Add a closure", caption=venue.name, form=form, button="Add the closure",
                      cancel=_venue_href(venue), crumbs=_venue_crumbs(venue),
                      intro="Bookings already made for these days are not cancelled: the next page lists "
                            "them, so you can rearrange or cancel each one.")


@requires(Action.VENUE_MANAGE)
@require_GET
@shows_many(BOOKING_TYPE, part="bookings on the days of a venue closure")
def closure_detail(request, pk, closure_pk):
    closure = _closure(pk, closure_pk)
    found = selectors.bookings_during(user=request.user, closure=closure, today=timezone.localdate())
    page = Paginator(found, BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    href = booking_hrefs()
    rows = [{"booking": booking, "href": href(booking.reference),
             "date": govuk_short_date(booking.event_date), "times": times(booking),
             "tag": STATUS_TAG[booking.status]} for booking in page.object_list]
    if rows:
        audit_read(action=AuditAction.SEARCH, object_type=BOOKING_TYPE, details={
            "list": "bookings during a closure", "closure": closure.pk, "page": page.number})
    return render(request, "venues/venue/closure.html", {
        "title": f"Closure: {_closure_dates(closure)}", "closure": closure, "venue": closure.venue,
        "dates": _closure_dates(closure), "page": page, "rows": rows,
        "warning": _still_held(page.paginator.count),
        "pagination": pagination_params(request, page), "breadcrumbs": _venue_crumbs(closure.venue)})


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def closure_remove(request, pk, closure_pk):
    closure = _closure(pk, closure_pk)
    venue = closure.venue
    # Nothing to fill in: a POST is the answer, even one with no fields.
    form = ConfirmForm(request.POST if request.method == "POST" else None)

    def remove(data):
        services.closure_remove(closure=closure, acting_user=request.user)
        return True

    if form_submitted(request, form, remove):
        messages.success(request, f"Closure removed: {closure.room or venue} can be booked "
                                  f"{_closure_dates(closure)} again, within its opening hours.")
        return redirect(_venue_href(venue))
    return _form_page(request, title="Remove this closure?", caption=venue.name, form=form,
                      button="Remove the closure", cancel=reverse("venues:closure", kwargs={
                          "pk": venue.pk, "closure_pk": closure.pk}),
                      crumbs=_venue_crumbs(venue), closure=closure, dates=_closure_dates(closure),
                      template="venues/venue/closure_remove.html")


# Booking conditions ----------------------------------------------------------------------


def _published(conditions) -> str:
    by = conditions.published_by.full_name if conditions.published_by_id else "loaded with the service"
    return f"{govuk_datetime(conditions.published_at)}, {by}"


def _conditions_crumbs(*trail):
    return breadcrumbs(("Booking conditions", reverse("venues:conditions")), *trail)


@requires(Action.VENUE_MANAGE)
@require_GET
@shows_nothing_personal("the booking conditions every booker accepts")
def conditions(request):
    versions = list(BookingConditions.objects.order_by("-version").select_related("published_by"))
    current = selectors.conditions_current()
    return render(request, "venues/venue/conditions.html", {
        "title": "Booking conditions", "current": current,
        "published": _published(current) if current else "",
        "versions": [{"conditions": each, "published": _published(each)} for each in versions],
        "breadcrumbs": breadcrumbs()})


@requires(Action.VENUE_MANAGE)
@require_GET
@shows_nothing_personal("the booking conditions every booker accepts")
def conditions_version(request, version):
    found = (BookingConditions.objects.filter(version=version).select_related("published_by")
             .prefetch_related("clauses").first())
    if found is None:
        raise Http404("No such version")
    current = selectors.conditions_current()
    return render(request, "venues/venue/conditions_version.html", {
        "title": f"Booking conditions, version {found.version}", "conditions": found,
        "published": _published(found), "is_current": current is not None and current.pk == found.pk,
        "breadcrumbs": _conditions_crumbs()})


def _conditions_initial(current) -> dict:
    initial = {"based_on": current.version if current else None, "introduction": current.introduction
               if current else ""}
    for index, clause in enumerate(current.clauses.all() if current else [], start=1):
        initial.update({f"number_{index}": clause.number, f"heading_{index}": clause.heading,
                        f"text_{index}": clause.text})
    return initial


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the booking conditions every booker accepts")
def conditions_publish(request):
    current = selectors.conditions_current()
    clauses_now = len(current.clauses.all()) if current else 0
    if request.method == "POST":
        count = clause_count_posted(request.POST, default=max(clauses_now, 1))
        if "add_clause" in request.POST:
            # Another blank clause, with what was typed kept and nothing checked yet.
            typed = {name: request.POST.get(name, "") for name in ConditionsForm(clause_count=count).fields}
            form = ConditionsForm(initial={**typed, "clause_count": count + 1}, clause_count=count + 1)
        else:
            form = ConditionsForm(request.POST, clause_count=count)
    else:
        count = max(clauses_now, 1)
        form = ConditionsForm(initial={**_conditions_initial(current), "clause_count": count},
                              clause_count=count)
    published = form_submitted(request, form, lambda data: services.conditions_publish(
        introduction=data["introduction"], clauses=form.clauses(), change_summary=data["change_summary"],
        based_on_version=data["based_on"], acting_user=request.user))
    if published:
        messages.success(request, f"Version {published.version} of the booking conditions is published. New "
                                  "requests accept it; bookings already made keep the version their booker "
                                  "accepted.")
        return redirect("venues:conditions")
    next_version = (current.version + 1) if current else 1
    return render(request, "venues/venue/conditions_publish.html", {
        "title": "Publish new booking conditions", "form": form, "current": current,
        "next_version": next_version, "button": f"Publish version {next_version}",
        "cancel": reverse("venues:conditions"),
        "breadcrumbs": _conditions_crumbs()})


# Letter templates ------------------------------------------------------------------------


@requires(Action.VENUE_MANAGE)
@require_GET
@shows_nothing_personal("the wording of letters to bookers, with placeholders for each booking's details")
def letter_templates(request):
    found = {template.kind: template for template in LetterTemplate.objects.select_related("updated_by")}
    return render(request, "venues/venue/letters.html", {
        "title": "Letters to bookers",
        "rows": [{"kind": kind, "template": found.get(kind.value),
                  "href": reverse("venues:letter-edit", kwargs={"kind": kind.value})} for kind in LetterKind],
        "breadcrumbs": breadcrumbs()})


@requires(Action.VENUE_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal("the wording of letters to bookers, with placeholders for each booking's details")
def letter_template_edit(request, kind):
    if kind not in LetterKind.values:
        raise Http404("No such letter")
    template = LetterTemplate.objects.filter(kind=kind).first()
    form = LetterTemplateForm(request.POST or None, initial={
        "subject": template.subject if template else "", "body": template.body if template else ""})
    saved = form_submitted(request, form, lambda data: services.letter_template_update(
        kind=kind, subject=data["subject"], body=data["body"], acting_user=request.user))
    if saved:
        messages.success(request, f"The {LetterKind(kind).label.lower()} letter is saved. Letters already "
                                  "sent keep their wording.")
        return redirect("venues:letters")
    return _form_page(request, title=f"{LetterKind(kind).label} letter", caption="Letters to bookers",
                      form=form, button="Save the letter", cancel=reverse("venues:letters"),
                      crumbs=breadcrumbs(("Letters to bookers", reverse("venues:letters"))),
                      template="venues/venue/letter.html", placeholders=PLACEHOLDERS.items())

