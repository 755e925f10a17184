"""Demo training records: learners in every demo organisation with every
standing (in date, due soon, overdue, never trained), a designated
safeguarding lead flagged for lacking the referrals course, one who has left,
and the demo accounts' own records. Every learner is invented and obviously
so; each record is made through the services, as the training
administrator's clicks would.

No reminder email goes out while the demo loads (core.demo.demo_loading)."""

import datetime

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN, ORGANISATIONS
from prevent_hub.accounts.models import Organisation, OrganisationType, User
from prevent_hub.audit.context import acting_as
from prevent_hub.core.dates import add_months

from . import services
from .models import Course

# Partner schools with no accounts here: their staff are learners only.
SCHOOLS = ["Fictional Park Primary School (demo)", "Example Vale High School (demo)"]

# (name, organisation, role, safeguarding lead, Prevent lead, [(course code, months ago)], left)
# Months ago against a 24-month refresh: 6 is in date, 23 due soon, 26 overdue.
LEARNERS = [
    ("Ash Example-Head", "school", "Headteacher", False, False,
     [("prevent-awareness", 6), ("channel-awareness", 6)], False),
    ("Bo Example-Teacher", "school", "Teacher", False, False, [("prevent-awareness", 23)], False),
    ("Cam Example-Teacher", "school", "Teacher", False, False, [("prevent-awareness", 26)], False),
    ("Dee Example-Assistant", "school", "Teaching assistant", False, False, [], False),
    ("Eli Example-Deputy", "school", "Deputy designated safeguarding lead", True, False,
     [("prevent-awareness", 3)], False),
    ("Fen Example-Former", "school", "Teacher", False, False, [("prevent-awareness", 30)], True),
    ("Gale Example-Head", SCHOOLS[0], "Headteacher", True, False,
     [("prevent-awareness", 12), ("prevent-referrals", 12)], False),
    ("Hal Example-Teacher", SCHOOLS[0], "Teacher", False, False, [("prevent-awareness", 25)], False),
    ("Ira Example-Teacher", SCHOOLS[0], "Teacher", False, False,
     [("prevent-awareness", 40), ("prevent-refresher", 2)], False),
    ("Jo Example-Lead", SCHOOLS[1], "Designated safeguarding lead", True, True,
     [("prevent-awareness", 22), ("prevent-referrals", 22)], False),
    ("Kai Example-Teacher", SCHOOLS[1], "Teacher", False, False, [], False),
    ("Lee Example-Nurse", "health", "School nurse", False, False, [("prevent-awareness", 10)], False),
    ("Max Example-Visitor", "health", "Health visitor", False, False, [("prevent-awareness", 24)], False),
    ("Noor Example-Worker", "council", "Social worker", False, False,
     [("prevent-awareness", 8), ("local-workshop", 4)], False),
    ("Oak Example-Officer", "council", "Housing officer", False, False, [("local-workshop", 2)], False),
    ("Pip Example-Constable", "police", "Neighbourhood officer", False, False,
     [("prevent-awareness", 14), ("channel-awareness", 14)], False),
]

# The demo accounts' own records: (email local part, [(course code, months ago)]).
ACCOUNTS = [
    ("coordinator", [("prevent-awareness", 9), ("prevent-referrals", 9), ("channel-awareness", 9)]),
    ("schoollead", [("prevent-awareness", 20)]),
    ("panel", [("channel-awareness", 27)]),
]


def _months_ago(today, months):
    return add_months(today, -months)


def _email(name):
    return f"{name.lower().replace(' ', '.')}@example.org"


def load():
    administrator = User.objects.get(email=f"training@{DEMO_DOMAIN}")
    today = timezone.localdate()
    courses = {course.code: course for course in Course.objects.all()}
    organisations = {key: Organisation.objects.get(name=name) for key, (name, _kind) in ORGANISATIONS.items()}
    for name in SCHOOLS:
        organisations[name] = Organisation.objects.get_or_create(
            name=name, defaults={"type": OrganisationType.EDUCATION})[0]
    with acting_as(administrator):
        for name, organisation, role, dsl, prevent_lead, completions, left in LEARNERS:
            learner = services.learner_create(
                acting_user=administrator, full_name=name, email=_email(name),
                organisation=organisations[organisation], job_role=role, is_safeguarding_lead=dsl,
                is_prevent_lead=prevent_lead)
            for code, months in completions:
                services.completion_record(
                    learner=learner, course=courses[code], completed_on=_months_ago(today, months),
                    certificate_reference=f"DEMO-{code[:3].upper()}-{learner.pk:04d}",
                    acting_user=administrator)
            if left:
                services.learner_left(learner=learner, left_on=today - datetime.timedelta(days=30),
                                      acting_user=administrator)
    for local, completions in ACCOUNTS:
        user = User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
        with acting_as(user):
            for code, months in completions:
                services.completion_record(learner=None, course=courses[code],
                                           completed_on=_months_ago(today, months),
                                           certificate_reference=f"DEMO-OWN-{code[:3].upper()}",
                                           acting_user=user)
