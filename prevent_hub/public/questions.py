"""The "Get help or raise a concern" questions and the order they are asked in.

One question per page. Answers are kept in the session under `SESSION_KEY`:
they say nothing about who anyone is, only which routes to show. Which routes
follow from the answers is data (directory.RoutingRule), not code.

The flow:

    danger ──yes──▶ result (call 999; nothing else is asked)
      │no
    online ──yes──▶ person ──no──▶ check answers ▶ result (report the material)
      │no            │yes
      ▼              ▼
    who ──▶ age ──▶ check answers ──▶ result
"""

from dataclasses import dataclass

from prevent_hub.directory.models import ChildOrAdult, Danger, OnlineMaterial, WhoAsks

SESSION_KEY = "get_help_answers"

YES, NO = "yes", "no"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Question:
    key: str  # the answer's name in the session and in the routing rules
    slug: str  # its page's address
    text: str
    error: str  # shown when nothing is chosen
    choices: tuple[Choice, ...]
    hint: str = ""
    # "Change <this>" on the check answers page, for screen reader users.
    change_text: str = ""
    # Answers that are only about the flow, not used by the routing rules.
    routes: bool = True

    def label_for(self, value) -> str:
        return next((choice.label for choice in self.choices if choice.value == value), "")

    def accepts(self, value) -> bool:
        return any(choice.value == value for choice in self.choices)


DANGER = Question(
    key="danger",
    slug="immediate-danger",
    text="Is anyone in immediate danger?",
    hint="For example, someone is being hurt or threatened, or an attack is happening or about "
         "to happen.",
    error="Select yes if anyone is in immediate danger",
    change_text="whether anyone is in immediate danger",
    choices=(Choice(Danger.YES, "Yes"), Choice(Danger.NO, "No")),
)

ONLINE = Question(
    key="online",
    slug="online-material",
    text="Is your concern about terrorist or extremist material you have seen online?",
    hint="For example, videos, posts, images or websites that promote terrorism or encourage "
         "violence.",
    error="Select yes if your concern is about material you have seen online",
    change_text="whether your concern is about material online",
    choices=(
        Choice(OnlineMaterial.YES, "Yes",
               "We will show you how to report it. You can then tell us if you are also worried "
               "about a person."),
        Choice(OnlineMaterial.NO, "No"),
    ),
)

PERSON = Question(
    key="person",
    slug="worried-about-a-person",
    text="Are you also worried about a particular person?",
    hint="For example, someone you know who has been watching or sharing material like this.",
    error="Select yes if you are also worried about a particular person",
    change_text="whether you are also worried about a person",
    choices=(Choice(YES, "Yes"), Choice(NO, "No, I only want to report the material")),
    routes=False,
)

WHO = Question(
    key="who",
    slug="who-you-are",
    text="Which of these best describes you?",
    error="Select which of these best describes you",
    change_text="which of these best describes you",
    choices=(
        Choice(WhoAsks.FAMILY_OR_FRIEND, "A family member or friend of the person",
               "Including a parent or carer."),
        Choice(WhoAsks.MEMBER_OF_PUBLIC, "A member of the public",
               "For example, a neighbour, or someone who saw or heard something worrying."),
        Choice(WhoAsks.PROFESSIONAL, "A professional or volunteer",
               "For example, a teacher, nurse, social worker, youth worker or council worker "
               "worried about someone you work with or support."),
    ),
)

AGE = Question(
    key="age",
    slug="child-or-adult",
    text="Is the person you are worried about a child or an adult?",
    error="Select whether the person is a child or an adult, or that you are not sure",
    change_text="whether the person is a child or an adult",
    choices=(
        Choice(ChildOrAdult.CHILD, "A child or young person under 18"),
        Choice(ChildOrAdult.ADULT, "An adult aged 18 or over"),
        Choice(ChildOrAdult.NOT_SURE, "I'm not sure"),
    ),
)

QUESTIONS = (DANGER, ONLINE, PERSON, WHO, AGE)
BY_SLUG = {question.slug: question for question in QUESTIONS}


def cleaned(stored) -> dict[str, str]:
    """Answers from the session, keeping only known questions and valid answers."""
    if not isinstance(stored, dict):
        return {}
    return {
        question.key: stored[question.key]
        for question in QUESTIONS
        if question.accepts(stored.get(question.key))
    }


def asked(answers: dict[str, str]) -> list[Question]:
    """The questions these answers lead to, in order, as far as they are known."""
    path = [DANGER]
    if answers.get(DANGER.key) != NO:
        return path
    path.append(ONLINE)
    if ONLINE.key not in answers:
        return path
    if answers[ONLINE.key] == YES:
        path.append(PERSON)
        if answers.get(PERSON.key) != YES:
            return path
    return [*path, WHO, AGE]


def first_unanswered(answers) -> Question | None:
    return next((question for question in asked(answers) if question.key not in answers), None)


def is_complete(answers) -> bool:
    return first_unanswered(answers) is None


def is_reachable(question: Question, answers) -> bool:
    """A question can be shown once every question before it on the path is answered."""
    path = asked(answers)
    if question not in path:
        return False
    return all(earlier.key in answers for earlier in path[: path.index(question)])


def previous(question: Question, answers) -> Question | None:
    path = asked(answers)
    index = path.index(question)
    return path[index - 1] if index else None


def following(question: Question, answers) -> Question | None:
    path = asked(answers)
    index = path.index(question)
    return path[index + 1] if index + 1 < len(path) else None


def relevant(answers) -> dict[str, str]:
    """The answers on the current path (earlier answers to questions no longer asked are
    kept in the session in case the person changes back, but are not used)."""
    keys = {question.key for question in asked(answers)}
    return {key: value for key, value in answers.items() if key in keys}


def for_routing(answers) -> dict[str, str]:
    """The answers the routing rules look at."""
    routing_keys = {question.key for question in QUESTIONS if question.routes}
    return {key: value for key, value in relevant(answers).items() if key in routing_keys}
