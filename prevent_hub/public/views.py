from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import TemplateView

from prevent_hub.directory.selectors import routes_for

from . import questions as flow
from .forms import QuestionForm


@method_decorator(login_not_required, name="dispatch")
class PublicPage(TemplateView):
    """A page of public information. Content lives in the template; contact
    details come from the contact directory."""


# "Get help or raise a concern": guided questions --------------------------------
#
# No personal data is asked for or kept: the answers (in the session) only choose
# which routes to show, from the routing rules in the contact directory.

CHANGE = "change"


def _answers(request) -> dict[str, str]:
    return flow.cleaned(request.session.get(flow.SESSION_KEY))


def _question_url(question, *, changing=False) -> str:
    url = reverse("public:get-help-question", kwargs={"slug": question.slug})
    return f"{url}?{CHANGE}=yes" if changing else url


def _where_next(answers) -> str:
    """Where someone goes when they ask for a page they cannot have yet."""
    question = flow.first_unanswered(answers)
    if question is not None:
        return _question_url(question)
    return reverse("public:get-help-result" if answers[flow.DANGER.key] == flow.YES
                   else "public:get-help-check")


@login_not_required
@require_GET
def get_help_start(request):
    """The start button: always a fresh start, so the next person on a shared computer
    does not see the last person's answers."""
    request.session.pop(flow.SESSION_KEY, None)
    return redirect(_question_url(flow.DANGER))


@login_not_required
@require_http_methods(["GET", "POST"])
def get_help_question(request, slug):
    question = flow.BY_SLUG.get(slug)
    if question is None:
        raise Http404("No such question")
    answers = _answers(request)
    if not flow.is_reachable(question, answers):
        return redirect(_where_next(answers))
    changing = request.GET.get(CHANGE) == "yes"
    # The question about a person follows the route for reporting material, which
    # is then the page's heading.
    with_routes = question is flow.PERSON
    form = QuestionForm(
        request.POST if request.method == "POST" else None, question=question,
        heading=not with_routes, initial={question.key: answers.get(question.key)},
    )
    if request.method == "POST" and form.is_valid():
        answers[question.key] = form.answer
        request.session[flow.SESSION_KEY] = answers
        return redirect(_after(question, answers, changing=changing))
    earlier = flow.previous(question, answers)
    if changing and flow.is_complete(answers):
        back = reverse("public:get-help-check")
    elif earlier is not None:
        # A change that needs new answers goes back through the questions it opened.
        back = _question_url(earlier, changing=changing)
    else:
        back = reverse("public:get-help")
    context = {"form": form, "question": question, "back_url": back, "with_routes": with_routes}
    if with_routes:
        context["routes"] = routes_for(flow.for_routing(answers))
    return render(request, "public/get_help/question.html", context)


def _after(question, answers, *, changing) -> str:
    if question is flow.DANGER and answers[question.key] == flow.YES:
        return reverse("public:get-help-result")
    if changing:
        missing = flow.first_unanswered(answers)
        return (_question_url(missing, changing=True) if missing
                else reverse("public:get-help-check"))
    following = flow.following(question, answers)
    return _question_url(following) if following else reverse("public:get-help-check")


@login_not_required
@require_GET
def get_help_check(request):
    answers = _answers(request)
    if not flow.is_complete(answers) or answers[flow.DANGER.key] == flow.YES:
        return redirect(_where_next(answers))
    path = flow.asked(answers)
    rows = [{
        "key": {"text": question.text},
        "value": {"text": question.label_for(answers[question.key])},
        "actions": {"items": [{
            "href": _question_url(question, changing=True), "text": "Change",
            "visuallyHiddenText": question.change_text,
        }]},
    } for question in path]
    return render(request, "public/get_help/check.html", {
        "rows": rows, "back_url": _question_url(path[-1]),
    })


@login_not_required
@require_GET
def get_help_result(request):
    answers = _answers(request)
    if not flow.is_complete(answers):
        return redirect(_where_next(answers))
    in_danger = answers[flow.DANGER.key] == flow.YES
    routes = routes_for(flow.for_routing(answers))
    return render(request, "public/get_help/result.html", {
        "routes": routes,
        "in_danger": in_danger,
        "back_url": _question_url(flow.DANGER) if in_danger else reverse("public:get-help-check"),
    })
