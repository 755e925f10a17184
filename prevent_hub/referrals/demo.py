"""Demo referrals across the triage queue. Every person, place and story is
invented and obviously so: names like "Testina Example", addresses on Example
Road, Exampleton, postcodes in the fictional ZZ99 range.

Referrals arrive through `referral_submit` and move on through the triage
services, so the audit trail reads as it would for real work. Only the time
each was received is back-dated afterwards (demo only), so that the queue has
clocks that are running, some of them overdue.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.accounts.models import User
from prevent_hub.core.demo import as_of_today
from prevent_hub.core.working_days import WorkingCalendar, start_of_day
from prevent_hub.reporting.categories import age_on

from .models import GatewayOutcome, PoliceSharingMethod, Referral, ReferralKind, ReferralStatus
from .reporting import received_on, referral_reporting_details_set
from .services import (
    reference_for,
    referral_gateway_outcome_record,
    referral_share_with_police,
    referral_submit,
)


def _born(year: int, month: int, day: int) -> datetime.date:
    """A date of birth as the story was written (core.demo.WRITTEN_ON), kept
    the same age today."""
    return as_of_today(datetime.date(year, month, day))


NEW, AWAITING, DECIDED = ReferralStatus.NEW, ReferralStatus.AWAITING_GATEWAY, ReferralStatus.DECIDED
NFA, SIGNPOSTED = GatewayOutcome.NO_FURTHER_ACTION, GatewayOutcome.SIGNPOSTED
POLICE_LED, CHANNEL = GatewayOutcome.POLICE_LED, GatewayOutcome.PROCEED_TO_CHANNEL
PRACTITIONER, PUBLIC, API = ReferralKind.PRACTITIONER, ReferralKind.PUBLIC, ReferralKind.PARTNER_API

CONCERNS = [
    "Fictional demo concern. A tutor noticed the young person repeating slogans from videos "
    "shared in a group chat, and saying that violence would be justified.\nNo real person or "
    "event is described here.",
    "Fictional demo concern. A neighbour heard the person talk about wanting to hurt people "
    "from another community after a dispute in the street.\nEverything here is made up.",
    "Fictional demo concern. A youth worker was shown material on a phone that praised an "
    "attack, and the person asked where to find more of it.\nInvented for the demonstration.",
    "Fictional demo concern. A college lecturer noticed the student had withdrawn from friends, "
    "spends nights on forums and talks about a coming conflict.\nNo real person is described.",
    "Fictional demo concern. A family member is worried about new online contacts who send the "
    "person material about weapons.\nThis is demonstration text only.",
]


@dataclass
class Demo:
    """One demo referral: who it is about, how it came in and how far triage has got."""

    given: str
    family: str
    kind: str
    status: str
    working_days_ago: int
    outcome: str = ""
    born: datetime.date | None = None
    age: int | None = None
    identify: bool = False
    signposted_to: str = ""
    extra: dict = field(default_factory=dict)


# Every date in a story is computed when the demo loads (the lists are built
# by functions, not at import), so a process running for days still dates
# them from the day it loads them.


def demos() -> list[Demo]:
    """Every demo referral, in the order they are made."""
    return _triage_demos() + _joining_up_demos()


# The decided referral about Testina Example comes before the new one about
# "Testeena Example" with the same date of birth, so the repeat-referral
# search shows her as a candidate for it.
def _triage_demos() -> list[Demo]:
    return [
    # Decided, oldest first.
    Demo("Testina", "Example", PRACTITIONER, DECIDED, 60, SIGNPOSTED, born=_born(2009, 3, 14), identify=True,
         signposted_to="Early help (Shireford demo family support)"),
    Demo("Sampleton", "Exampleton", PRACTITIONER, DECIDED, 52, NFA, born=_born(2007, 8, 2)),
    Demo("Fictitia", "Specimen", PUBLIC, DECIDED, 48, NFA, age=24),
    Demo("Mockwell", "Placeholder", PRACTITIONER, DECIDED, 45, CHANNEL, born=_born(2010, 11, 30),
         identify=True),
    Demo("Dummia", "Sample", API, DECIDED, 40, POLICE_LED, born=_born(1999, 1, 21)),
    Demo("Examplo", "Testworth", PRACTITIONER, DECIDED, 36, SIGNPOSTED, born=_born(2010, 6, 9),
         signposted_to="Children's mental health service (demo)"),
    Demo("Instancia", "Demo", PUBLIC, DECIDED, 33, NFA, age=41),
    Demo("Trialla", "Exampleby", PRACTITIONER, DECIDED, 29, CHANNEL, born=_born(2006, 2, 17),
         identify=True),
    Demo("Protot", "Samplesworth", PRACTITIONER, DECIDED, 25, POLICE_LED, born=_born(1990, 12, 3)),
    Demo("Specima", "Fakeley", API, DECIDED, 21, SIGNPOSTED, born=_born(2004, 4, 25),
         signposted_to="Adult social care (demo)"),
    Demo("Draftina", "Example-Smith", PRACTITIONER, DECIDED, 18, CHANNEL, born=_born(2011, 9, 12),
         identify=True),
    Demo("Pretendo", "Exampleford", PUBLIC, DECIDED, 15, NFA, age=17),
    # Shared with police, awaiting the gateway outcome (some overdue).
    Demo("Fakeson", "Example", PRACTITIONER, AWAITING, 14, born=_born(2008, 5, 5)),
    Demo("Imagina", "Sampleton", PRACTITIONER, AWAITING, 11, born=_born(2009, 10, 1), identify=True),
    Demo("Notreal", "Placeholder", PUBLIC, AWAITING, 9, age=35),
    Demo("Madeup", "Specimen-Jones", API, AWAITING, 7, born=_born(2005, 7, 19)),
    Demo("Testor", "Exampleton", PRACTITIONER, AWAITING, 4, born=_born(2012, 1, 8)),
    Demo("Fictio", "Dummyfield", PRACTITIONER, AWAITING, 3, born=_born(2007, 3, 27)),
    Demo("Mocka", "Sampleby", PUBLIC, AWAITING, 2, age=19),
    Demo("Samplina", "Testwood", PRACTITIONER, AWAITING, 1, born=_born(2010, 12, 24)),
    # New (some overdue), including the repeat referral about Testina.
    Demo("Testeena", "Example", PRACTITIONER, NEW, 6, born=_born(2009, 3, 14),
         extra={"subject_other_names": "Tina Example"}),
    Demo("Placeho", "Examplewick", PUBLIC, NEW, 5, age=28),
    Demo("Fauxton", "Demo-Brown", PRACTITIONER, NEW, 4, born=_born(2008, 8, 8)),
    Demo("Demora", "Specimenfield", API, NEW, 3, born=_born(2003, 2, 14)),
    Demo("Examplia", "Mockley", PRACTITIONER, NEW, 2, born=_born(2011, 11, 11)),
    Demo("Inventa", "Sampleworth", PUBLIC, NEW, 1, age=45),
    Demo("Dummo", "Exampleham", PRACTITIONER, NEW, 1, born=_born(2009, 6, 30)),
    Demo("Testa", "Fictionby", PRACTITIONER, NEW, 0, born=_born(2010, 2, 2)),
    Demo("Trialo", "Placeholder-Green", PUBLIC, NEW, 0, age=16),
    Demo("Mockina", "Testbury", API, NEW, 0, born=_born(2006, 9, 9)),
]

def _born_years_ago(years: int, *, days_more: int = 0) -> datetime.date:
    """A date of birth `years` (and `days_more`) before today, so an age
    given in a demo story stays true as the calendar moves."""
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - datetime.timedelta(days=days_more)


# Joining up the dots (docs/user-guide/people.md): the same boy, about 15, first
# as a neighbour's concern (name, age, address; identified), then as his
# teacher's referral with another spelling, a date of birth and the address
# written another way (new: "Identify the person" puts him forward), and a
# second neighbour's concern nobody has identified yet. Then a name written
# with Polish letters and without them, and a person recorded twice by mistake
# (to merge).
SAME_BOY_ADDRESS = "14 Example Crescent, Exampleton ZZ99 7QT"
def _joining_up_demos() -> list[Demo]:
    return [
    Demo("Jayden", "Demoson", PUBLIC, AWAITING, 8, age=15, identify=True,
         extra={"subject_address": SAME_BOY_ADDRESS, "subject_postcode": ""}),
    Demo("Jaiden", "Demosen", PRACTITIONER, NEW, 0, born=_born_years_ago(15, days_more=120),
         extra={"subject_address": "14 Example Cres.\nExampleton", "subject_postcode": "ZZ99 7QT"}),
    Demo("Jay", "Demoson", PUBLIC, NEW, 1, age=16,
         extra={"subject_address": "14 Example Crescent, Exampleton", "subject_postcode": ""}),
    Demo("Łucja", "Demowska", PRACTITIONER, DECIDED, 30, NFA, born=_born_years_ago(17, days_more=40),
         identify=True),
    Demo("Lucja", "Demowska", PRACTITIONER, NEW, 2, born=_born_years_ago(17, days_more=40)),
    Demo("Mokwell", "Placeholder", PRACTITIONER, DECIDED, 50, NFA, born=_born(2010, 11, 30),
         identify=True),
]

METHODS = [PoliceSharingMethod.SECURE_EMAIL, PoliceSharingMethod.CASE_SYSTEM, PoliceSharingMethod.PHONE]
REASONS = {
    NFA: "Fictional demo reasons. Police checks found nothing to suggest the person is being drawn "
         "into terrorism. The school has been told to contact the Prevent team if things change.",
    SIGNPOSTED: "Fictional demo reasons. No terrorism-related concern, but the person and family "
                "would benefit from support. Signposted with the family's agreement.",
    POLICE_LED: "Fictional demo reasons. Police will manage this through their own Prevent case "
                "management, outside Channel.",
    CHANNEL: "Fictional demo reasons. Police found reasonable grounds to believe the person is "
             "susceptible to being drawn into terrorism; the case should go to the Channel panel.",
}


def _details(number: int, demo: Demo) -> dict:
    practitioner = demo.kind != PUBLIC
    details = {
        "referrer_name": (f"Robin Demo-Referrer{number}" if practitioner
                          else f"Alex Demo-Neighbour{number}"),
        "referrer_relationship": "Teacher" if practitioner else "Neighbour",
        "subject_given_name": demo.given,
        "subject_family_name": demo.family,
        "subject_date_of_birth": demo.born,
        "subject_approximate_age": demo.age,
        "subject_gender": ["Female", "Male", "Not stated"][number % 3],
        "subject_address": f"{number + 1} Example Road\nExampleton",
        "subject_postcode": f"ZZ99 {number % 9 + 1}{'ABCDEFGHJ'[number % 9]}{'ABCDEFGHJ'[(number + 4) % 9]}",
        "concern_description": CONCERNS[number % len(CONCERNS)],
        "concern_when": "Over the last few weeks (fictional)",
        "concern_prompts": [["online_activity"], ["support_for_violence"], ["contact_with_groups"],
                            ["online_activity", "threats"], []][number % 5],
        **demo.extra,
    }
    if practitioner:
        details.update({
            "referrer_role": "Designated safeguarding lead",
            "referrer_organisation": "Exampleton Academy (demo)",
            "referrer_email": f"referrer{number}@{DEMO_DOMAIN}",
            "referrer_phone": "01632 960123",  # Ofcom's range for drama
            "dsl_consulted": "yes",
            "dsl_name": "Jo Demo-Safeguarding",
            "subject_school_or_employer": "Exampleton Academy (demo)",
        })
    if demo.born and (timezone.localdate() - demo.born).days < 18 * 365:
        details.update({"carer_name": f"Parent Demo-{demo.family}", "carer_relationship": "Parent",
                        "family_aware": "unknown"})
    return {key: value for key, value in details.items() if value not in (None, "")}


# Plausible reporting details, as a coordinator would record them at triage.
# The type of concern is recorded once the referral has been looked at with
# the police, so new referrals have none yet, and some awaiting the gateway
# outcome are still without one (the gateway page reminds).
DEMO_CONCERNS = [
    "extreme_right_wing", "islamist", "no_ideology_other_susceptibility", "extreme_right_wing",
    "conflicted", "no_ideology_identified", "islamist", "school_massacre", "extreme_right_wing",
    "left_wing", "no_ideology_other_susceptibility", "other",
]
DEMO_ETHNICITIES = ["white", "asian", "white", "black", "mixed", "not_known", "white", "other"]
PRACTITIONER_SECTORS = ["education", "education", "health", "local_authority", "education", "police"]
API_SECTORS = ["health", "local_authority", "probation"]


def _reporting_details(number: int, demo: Demo, referral: Referral) -> dict:
    details = {
        "ethnicity": DEMO_ETHNICITIES[number % len(DEMO_ETHNICITIES)],
        "mental_health_or_neurodiversity": (referral.mental_health_or_neurodiversity
                                            or ["no", "yes", "not_known", "no"][number % 4]),
        "reported_gender": referral.reported_gender or "not_known",
    }
    if referral.subject_date_of_birth:
        # The demo back-dates receipt after intake worked the age out.
        details["age_at_referral"] = age_on(referral.subject_date_of_birth, received_on(referral))
    if not referral.sector:
        details["sector"] = (API_SECTORS[number % len(API_SECTORS)] if demo.kind == API
                             else PRACTITIONER_SECTORS[number % len(PRACTITIONER_SECTORS)])
    if demo.status == DECIDED or (demo.status == AWAITING and number % 3):
        details["concern_type"] = DEMO_CONCERNS[number % len(DEMO_CONCERNS)]
    return details


def reporting_details_record(referral: Referral, number: int, demo: Demo, *, acting_user) -> Referral:
    """Record a demo referral's reporting details through the service, as a
    named coordinator (channel.demo can do the same for the referrals its
    stories open)."""
    details = _reporting_details(number, demo, referral)
    return referral_reporting_details_set(referral=referral, details=details, acting_user=acting_user)


def _received(calendar: WorkingCalendar, working_days_ago: int, number: int) -> datetime.datetime:
    now = timezone.now()
    if working_days_ago == 0:
        return now - datetime.timedelta(minutes=30 + 7 * number)
    day = calendar.nth_working_day_back(timezone.localdate(), working_days_ago + 1)
    return start_of_day(day) + datetime.timedelta(hours=9, minutes=(number * 17) % 300)


def demo_referral(number: int) -> Referral:
    """The referral made for demos()[number - 1]."""
    return Referral.objects.get(submission_key=f"demo:{number}")


def load():
    """Receive every demo referral and share with police those that have got
    that far. People identify theirs (people.demo) and Channel records the
    gateway outcomes, which open its cases (channel.demo): each demo runs in
    the order the apps build on one another."""
    officer_notes = "Sent to the regional counter-terrorism unit (demo)."
    coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
    practitioner = User.objects.get(email=f"panel@{DEMO_DOMAIN}")
    calendar = WorkingCalendar.load()
    now = timezone.now()
    for number, demo in enumerate(demos(), start=1):
        referral, _ = referral_submit(
            kind=demo.kind, details=_details(number, demo), submission_key=f"demo:{number}",
            acting_user=practitioner if demo.kind == PRACTITIONER and number % 4 == 0 else None,
            # Fictional addresses: nobody to acknowledge, and the sign-in help stays on screen.
            acknowledge=False,
        )
        received_at = _received(calendar, demo.working_days_ago, number)
        referral.received_at = received_at
        Referral.objects.filter(pk=referral.pk).update(
            received_at=received_at, reference=reference_for(referral))
        referral.refresh_from_db()
        # A few new referrals wait for a coordinator to look at them at all.
        if demo.status != NEW or number % 2:
            referral = reporting_details_record(referral, number, demo, acting_user=coordinator)
        if demo.status == NEW:
            continue
        shared_at = min(received_at + datetime.timedelta(hours=3), now - datetime.timedelta(minutes=5))
        referral_share_with_police(
            referral=referral, shared_at=shared_at, method=METHODS[number % len(METHODS)],
            notes=officer_notes if number % 2 else "", acting_user=coordinator,
        )


def gateway_outcomes_record():
    """The police officer's gateway outcomes on the demo referrals that have
    one (called by channel.demo once people are identified: "proceed to
    Channel" needs the person)."""
    officer = User.objects.get(email=f"police@{DEMO_DOMAIN}")
    calendar = WorkingCalendar.load()
    for number, demo in enumerate(demos(), start=1):
        if demo.status != DECIDED:
            continue
        referral = demo_referral(number)
        shared_on = timezone.localtime(referral.police_shared_at).date()
        decided_on = min(calendar.add_working_days(shared_on, 2 + number % 3), timezone.localdate())
        referral_gateway_outcome_record(
            referral=referral, outcome=demo.outcome, reasons=REASONS[demo.outcome],
            decided_on=decided_on, signposted_to=demo.signposted_to, acting_user=officer,
        )
