"""The list of courses, and adding or changing one (training
administrators). Courses are reference data: they name no one.

The list is readable with TRAINING_VIEW, so an organisation's training lead
can see which courses count, which leads need and how often each must be
refreshed: what they need to know to record their staff's training.
Changing a course needs TRAINING_COURSES_MANAGE. Courses are never deleted,
since completions refer to them: one no longer offered is unticked."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from prevent_hub.access import Action, can, requires
from prevent_hub.audit.shows import shows_nothing_personal
from prevent_hub.govuk.forms import form_submitted

from . import selectors, services
from .course_forms import CourseForm
from .models import Course
from .pages import crumbs, posted

NOTHING_PERSONAL = "courses: reference data, naming no one"
FIELDS = ("code", "name", "kind", "description", "refresh_months", "prerequisite", "renews",
          "counts_for_compliance", "for_leads", "is_active")


def _crumbs(request, *trail):
    return crumbs(request, ("Courses", reverse("training:courses")), *trail)


@requires(Action.TRAINING_VIEW)
@require_GET
@shows_nothing_personal(NOTHING_PERSONAL)
def courses(request):
    return render(request, "training/course_list.html", {
        "title": "Courses", "courses": list(selectors.courses()),
        "may_manage": can(request.user, Action.TRAINING_COURSES_MANAGE),
        "breadcrumbs": crumbs(request, ("Courses", ""))})


def _course_page(request, *, course):
    others = selectors.courses() if course is None else selectors.courses().exclude(pk=course.pk)
    initial = ({name: getattr(course, name) for name in FIELDS} if course is not None
               else {"kind": "home_office", "refresh_months": 24})
    form = CourseForm(posted(request), courses=others, initial=initial)
    saved = form_submitted(request, form, lambda data: services.course_save(
        course=course, acting_user=request.user, **{name: data[name] for name in FIELDS}))
    if saved:
        messages.success(request, f"{saved.name} is saved." if course else f"{saved.name} is added.")
        return redirect("training:courses")
    title = f"Change {course.name}" if course else "Add a course"
    return render(request, "training/course_form.html", {
        "title": title, "form": form, "course": course, "cancel": reverse("training:courses"),
        "button": "Save the course" if course else "Add the course",
        "breadcrumbs": _crumbs(request, (title, ""))})


@requires(Action.TRAINING_COURSES_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def course_add(request):
    return _course_page(request, course=None)


@requires(Action.TRAINING_COURSES_MANAGE)
@require_http_methods(["GET", "POST"])
@shows_nothing_personal(NOTHING_PERSONAL)
def course_edit(request, code):
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise Http404("No such course")
    return _course_page(request, course=course)
