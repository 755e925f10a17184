"""Generating synthetic data at council and national scale, in bulk.

Not through the services: at national scale (a hundred thousand referrals,
two million timeline entries, twenty million audit events) one service call
per record would take days. The rows are written as the services would leave
them (references, retention dates, timeline entries, reporting details,
statuses reached through the lifecycle's allowed moves) but straight into the
tables (bulk.Table). See docs/decisions/0027-synthetic-data-in-bulk.md.

Everything random comes from `random.Random` seeded with the seed and the
step's name, and every date is counted back from the anchor date, never from
today: the same seed and anchor give the same rows on any day, on SQLite and
PostgreSQL alike (ids included, on a fresh database).
"""

import bisect
import datetime
import random
import time
from collections import Counter, defaultdict
from contextlib import nullcontext
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from prevent_hub.access.roles import Role
from prevent_hub.accounts import demo as accounts_demo
from prevent_hub.accounts.models import Organisation, RoleAssignment, User
from prevent_hub.channel.models import (
    Area,
    CaseRole,
    CaseStatus,
    CaseTeamMember,
    CaseTransition,
    ChannelCase,
    ChronologyEntry,
    ClosureReason,
    Consent,
    InformationRequest,
    Note,
    PlanAction,
    Review,
    SupportPlan,
    SupportProvider,
    SupportSession,
)
from prevent_hub.complaints.models import Complaint
from prevent_hub.core import addresses, names
from prevent_hub.core.demo import DEMO_PASSWORD
from prevent_hub.core.progress import Progress
from prevent_hub.panels.models import (
    AgendaItem,
    Attendance,
    Minutes,
    Panel,
    PanelMeeting,
    PanelMember,
)
from prevent_hub.people.models import Person, PersonName
from prevent_hub.referrals.models import Referral, ReferralName
from prevent_hub.retention.models import RecordType
from prevent_hub.retention.selectors import retain_until_many
from prevent_hub.rights.models import RightsRequest
from prevent_hub.training.models import Completion, Course, Learner
from prevent_hub.venues.models import (
    BookingConditions,
    BookingDecision,
    ConditionsClause,
    OpeningHours,
    Room,
    Venue,
    VenueBooking,
)

from . import vocabulary as words
from .bulk import Table, sequences_reset

UTC = datetime.UTC
# References carry the year as the council sees it (the services use local time).
LONDON = ZoneInfo("Europe/London")
S = CaseStatus
SYNTHETIC_DOMAIN = "synthetic.shireford.example"
# Types of concern recorded before and after the 2024/25 change of the
# national categories (reporting migrations).
CONCERN_CHANGE = datetime.date(2024, 4, 1)
CONCERNS_BEFORE = ["islamist", "extreme_right_wing", "left_wing", "conflicted", "school_massacre",
                   "no_ideology_vulnerability", "no_risk", "high_ct_risk_no_ideology", "other"]
CONCERNS_BEFORE_WEIGHTS = [25, 25, 3, 2, 2, 30, 5, 3, 5]
CONCERNS_AFTER = ["islamist", "extreme_right_wing", "left_wing", "conflicted", "school_massacre",
                  "no_ideology_identified", "no_ideology_other_susceptibility", "other"]
CONCERNS_AFTER_WEIGHTS = [20, 25, 3, 3, 3, 30, 10, 6]
REVIEW_INTERVAL = 28
# A case stops where the path to this status would take it further.
PATHS = {
    S.SCREENING: [], S.AWAITING_PANEL: [S.AWAITING_PANEL],
    S.NOT_ADOPTED: [S.AWAITING_PANEL, S.NOT_ADOPTED], S.ADOPTED: [S.AWAITING_PANEL, S.ADOPTED],
    S.CONSENT_SOUGHT: [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT],
    S.CONSENT_GIVEN: [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN],
    S.CONSENT_REFUSED: [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_REFUSED],
    S.SUPPORT: [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN, S.SUPPORT],
    S.EXITED: [S.AWAITING_PANEL, S.ADOPTED, S.CONSENT_SOUGHT, S.CONSENT_GIVEN, S.SUPPORT, S.EXITED],
}


def _utc(day: datetime.date, minutes: int) -> datetime.datetime:
    """`minutes` after midnight UTC on `day`."""
    return datetime.datetime(day.year, day.month, day.day, tzinfo=UTC) + datetime.timedelta(minutes=minutes)


def _office_time(rng, day) -> datetime.datetime:
    return _utc(day, rng.randint(8 * 60, 18 * 60 - 1))


def _postcode(rng) -> str:
    return f"ZZ99{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def _address(rng) -> tuple[str, str]:
    postcode = _postcode(rng)
    return (f"{rng.randint(1, 240)} {rng.choice(words.STREETS)}\n{rng.choice(words.TOWNS)}\n"
            f"{addresses.format_postcode(postcode)}", postcode)


class Generator:
    def __init__(self, scale, *, seed: int, anchor: datetime.date, out, append: bool = False):
        self.scale = scale
        self.seed = seed
        self.anchor = anchor
        self.start = anchor - datetime.timedelta(days=round(365.25 * scale.years))
        self.out = out
        self.append = append
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.tables: list[Table] = []
        self._name_keys: dict[str, str] = {}
        self._address_keys: dict[str, str] = {}
        self._kept: dict[str, dict] = {}
        self.sign_in: list[tuple[str, str, str]] = []
        self._items_seen: set[tuple[int, int]] = set()
        self.referral_rows: list[tuple] = []
        self.case_rows: list[tuple] = []

    # ------------------------------------------------------------ plumbing

    def rng(self, step: str) -> random.Random:
        # One stream per step, so changing one step leaves the others' rows alone.
        return random.Random(f"{self.seed}:{step}")

    def table(self, model, columns, **kwargs) -> Table:
        table = Table(model, columns, counts=self.counts, **kwargs)
        self.tables.append(table)
        return table

    def progress(self, label, total) -> Progress:
        return Progress(self.out, f"  {label}", total)

    def run(self) -> None:
        steps = [
            ("staff and organisations", self.staff),
            ("panels and meetings", self.panels),
            ("people and referrals", self.referrals),
            ("Channel cases and timelines", self.cases),
            ("venues and bookings", self.venues),
            ("complaints", self.complaints),
            ("training records", self.training),
            ("rights requests", self.rights_requests),
            ("audit trail", self.audit_trail),
            ("planner statistics", self.analyse),
        ]
        for label, step in steps:
            self.out.write(f"{label}…\n")
            started = time.perf_counter()
            # One transaction a step, except the audit trail's, which
            # audit_events_load commits batch by batch.
            with transaction.atomic() if step != self.audit_trail else nullcontext():
                step()
                for table in self.tables:
                    table.flush()
            self.seconds[label] = time.perf_counter() - started
        sequences_reset({table.model for table in self.tables})

    def name_key(self, name: str) -> str:
        key = self._name_keys.get(name)
        if key is None:
            key = self._name_keys[name] = names.name_key(name)
        return key

    def address_key(self, address: str) -> str:
        key = self._address_keys.get(address)
        if key is None:
            key = self._address_keys[address] = addresses.address_key(address)
        return key

    def kept(self, record_type: str, day: datetime.date):
        """(retain until, policy id) for a record of `record_type` closing on `day`."""
        if record_type not in self._kept:
            days = [self.start - datetime.timedelta(days=400) + datetime.timedelta(days=n)
                    for n in range((self.anchor - self.start).days + 800)]
            self._kept[record_type] = {
                start: (until, policy.pk)
                for start, (until, policy) in retain_until_many(record_type, days).items()}
        return self._kept[record_type][day]

    def random_day(self, rng, *, after=None, before=None) -> datetime.date:
        after = after or self.start
        before = before or self.anchor
        return after + datetime.timedelta(days=rng.randrange(max(1, (before - after).days)))

    # ------------------------------------------------------------ staff

    def staff(self):
        rng = self.rng("staff")
        home = {key: self._organisation(f"{name.removesuffix(' (demo)')} (fictional)", kind)
                for key, (name, kind) in accounts_demo.ORGANISATIONS.items()}
        self.council = home["council"]
        self.police_force = home["police"]
        self.mentors = home["mentors"]
        partners = []
        places = [*words.TOWNS, *(f"{w} {t}" for w in words.AREA_WORDS for t in words.TOWNS)]
        patterns = [(pattern.format(town=place), kind) for place in places
                    for pattern, kind in words.ORGANISATION_KINDS]
        for name, kind in patterns[:self.scale.partner_organisations]:
            partners.append((self._organisation(name, kind), kind))
        self.partners = partners
        if hasattr(self, "_organisations"):
            self._organisations.flush()
        self.organisation_names = dict(Organisation.objects.values_list("pk", "name"))

        password = make_password(DEMO_PASSWORD)
        now = _utc(self.anchor - datetime.timedelta(days=round(365.25 * self.scale.years) + 30), 9 * 60)
        users = self.table(User, ["password", "is_superuser", "email", "full_name", "job_title",
                                  "organisation_id", "is_active", "is_staff", "date_joined"])
        roles = self.table(RoleAssignment, ["user_id", "role", "granted_at"])
        existing = dict(User.objects.filter(email__endswith="@" + accounts_demo.DEMO_DOMAIN)
                        .values_list("email", "pk"))
        self.accounts = {}
        for role, local, full_name, org_key in accounts_demo.ACCOUNTS:
            email = f"{local}@{accounts_demo.DEMO_DOMAIN}"
            pk = existing.get(email)
            if pk is None:
                pk = users.add(password, False, email, full_name, Role(role).label,
                               home[org_key], True, False, now)
                roles.add(pk, role, now)
            self.accounts[role] = pk
            self.sign_in.append((Role(role).label, email, DEMO_PASSWORD))
        # The rest of the staff who appear on records: never signed in as.
        shares = [(Role.PREVENT_COORDINATOR, 20, "council"), (Role.POLICE_PRACTITIONER, 20, "police"),
                  (Role.PANEL_MEMBER, 30, None), (Role.CHANNEL_CHAIR, 5, "council"),
                  (Role.INTERVENTION_PROVIDER, 15, "mentors"), (Role.VENUE_BOOKING_OFFICER, 5, "council"),
                  (Role.INVESTIGATING_OFFICER, 5, "council")]
        self.staff_by_role = defaultdict(list)
        for role, pk in self.accounts.items():
            self.staff_by_role[role].append(pk)
        for _ in range(self.scale.staff):
            role, _, org = rng.choices(shares, [share for _, share, _ in shares])[0]
            organisation = home[org] if org else rng.choice(partners)[0]
            pk = users.next_id
            full_name = f"{rng.choice(words.GIVEN_NAMES)} {rng.choice(words.FAMILY_NAMES)}"
            users.add("!synthetic-no-password", False, f"staff-{pk}@{SYNTHETIC_DOMAIN}", full_name,
                      Role(role).label, organisation, True, False, now)
            roles.add(pk, role, now)
            self.staff_by_role[role].append(pk)
        users.flush()
        self.organisation_of, self.user_name, self.user_email = {}, {}, {}
        for pk, organisation, full_name, email in User.objects.values_list(
                "pk", "organisation_id", "full_name", "email"):
            self.organisation_of[pk] = organisation
            self.user_name[pk] = full_name
            self.user_email[pk] = email

    def _organisation(self, name: str, kind: str) -> int:
        found = Organisation.objects.filter(name__iexact=name).values_list("pk", flat=True).first()
        if found:
            return found
        table = getattr(self, "_organisations", None)
        if table is None:
            table = self._organisations = self.table(Organisation,
                                                     ["name", "type", "is_active", "created_at"])
        return table.add(name, kind, True, _utc(self.start - datetime.timedelta(days=60), 9 * 60))

    def someone(self, rng, role) -> int:
        return rng.choice(self.staff_by_role[role])

    # ------------------------------------------------------------ panels

    def panels(self):
        rng = self.rng("panels")
        area_table = self.table(Area, ["name", "is_active"])
        panel_table = self.table(Panel, ["name", "area_id", "chair_id", "is_active", "created_at",
                                         "created_by_id"])
        member_table = self.table(PanelMember, ["panel_id", "user_id", "added_at", "added_by_id"])
        meetings = self.table(PanelMeeting, ["panel_id", "date", "start_time", "location", "online_link",
                                             "status", "created_at", "created_by_id", "agenda_built_at",
                                             "notice_sent_at", "cancelled_reason"])
        attendance = self.table(Attendance, ["meeting_id", "user_id", "name", "organisation_id",
                                             "organisation_name", "organisation_type", "police_area_id",
                                             "apologies", "recorded_at", "recorded_by_id"])
        minutes = self.table(Minutes, ["meeting_id", "status", "general_notes", "updated_at", "updated_by_id",
                                       "approved_at", "approved_by_id"])
        existing = set(Area.objects.values_list("name", flat=True))
        area_names = [f"{w} {t} (fictional)" for t in words.TOWNS for w in words.AREA_WORDS]
        area_names = [name for name in area_names if name not in existing][:self.scale.areas]
        created = _utc(self.start - datetime.timedelta(days=30), 10 * 60)
        coordinator = self.accounts[Role.PREVENT_COORDINATOR]
        chairs = self.staff_by_role[Role.CHANNEL_CHAIR]
        members = self.staff_by_role[Role.PANEL_MEMBER]
        police = self.staff_by_role[Role.POLICE_PRACTITIONER]
        self.areas = []  # (area id, panel id, chair id, [meeting dates], [meeting ids])
        for index, name in enumerate(area_names):
            area = area_table.add(name, True)
            # The benchmark chair chairs the first panel.
            chair = self.accounts[Role.CHANNEL_CHAIR] if index == 0 else rng.choice(chairs)
            panel = panel_table.add(f"{name.removesuffix(' (fictional)')} Channel panel (fictional)", area,
                                    chair, True, created, coordinator)
            standing = {self.accounts[Role.PANEL_MEMBER]} if index == 0 else set()
            standing.update(rng.sample(members, min(len(members), 3)))
            standing.add(rng.choice(police))
            for user in sorted(standing):
                member_table.add(panel, user, created, coordinator)
            dates, ids = [], []
            month = datetime.date(self.start.year, self.start.month, 1)
            last = self.anchor + datetime.timedelta(days=70)
            while month <= last:
                # The second Tuesday of the month.
                first_tuesday = month + datetime.timedelta(days=(1 - month.weekday()) % 7)
                day = first_tuesday + datetime.timedelta(days=7)
                if self.start <= day <= last:
                    held = day < self.anchor
                    cancelled = held and rng.random() < 0.02
                    status = "cancelled" if cancelled else ("held" if held else "scheduled")
                    made = _utc(day - datetime.timedelta(days=35), 10 * 60)
                    built_on = day - datetime.timedelta(days=10)
                    built = _utc(built_on, 11 * 60) if built_on < self.anchor else None
                    meeting = meetings.add(
                        panel, day, datetime.time(10, 0),
                        f"Room {rng.randint(1, 9)}, County Hall (fictional)", "", status, made, coordinator,
                        built, built, "Not quorate (fictional)" if cancelled else "")
                    if status != "cancelled":
                        dates.append(day)
                        ids.append(meeting)
                    if status == "held":
                        at = _utc(day, 13 * 60)
                        for user in sorted(standing | {chair}):
                            org = self.organisation_of[user]
                            attendance.add(meeting, user, self.user_name[user], org,
                                           self.organisation_names.get(org, ""),
                                           "police" if user in police else "local_authority",
                                           area if user in police else None, rng.random() < 0.08, at,
                                           coordinator)
                        approved = _utc(day + datetime.timedelta(days=14), 15 * 60)
                        minutes.add(meeting, "approved" if approved.date() < self.anchor else "draft",
                                    "Minutes of a fictional meeting.", at, chair,
                                    approved if approved.date() < self.anchor else None,
                                    chair if approved.date() < self.anchor else None)
                    else:
                        # As panels.services makes every meeting: its minutes start as an empty draft.
                        minutes.add(meeting, "draft", "", made, coordinator, None, None)
                month = (month + datetime.timedelta(days=32)).replace(day=1)
            self.areas.append((area, panel, chair, dates, ids))
        self.area_weights = [1 + (i % 5) for i in range(len(self.areas))]

    def meeting_after(self, area_index: int, day: datetime.date):
        """(meeting id, date) of the area's first meeting on or after `day`, or None."""
        _, _, _, dates, ids = self.areas[area_index]
        at = bisect.bisect_left(dates, day)
        return (ids[at], dates[at]) if at < len(dates) else None

    # ------------------------------------------------------------ referrals

    def referral_skeletons(self, rng):
        """Each referral's time, status and gateway times, oldest first, and
        which go to Channel: worked out before any row is written."""
        count = self.scale.referrals
        span = (self.anchor - self.start).days
        times = []
        for _ in range(count):
            # Slightly more referrals in later years; fewer at weekends.
            while True:
                offset = span * (rng.random() ** 0.85)
                day = self.start + datetime.timedelta(days=int(offset))
                if day.weekday() < 5 or rng.random() < 0.3:
                    break
            times.append(_utc(day, rng.randint(7 * 60, 21 * 60)))
        times.sort()
        # The last few are recent whatever the scale, so every status shows.
        recent = max(6, count // 400)
        for n in range(recent):
            day = self.anchor - datetime.timedelta(days=1 + (recent - n) * 9 // recent)
            times[count - recent + n] = _utc(day, 9 * 60 + n)
        times.sort()
        skeletons = []
        for index, received in enumerate(times):
            age = (self.anchor - received.date()).days
            if index >= count - 2 or age < 2:
                skeletons.append((received, "new", None, None))
                continue
            shared = received + datetime.timedelta(hours=rng.uniform(2, 30))
            if index >= count - 4 or (age < 12 and rng.random() < 0.5):
                skeletons.append((received, "awaiting_gateway", shared, None))
                continue
            decided_on = min(shared.date() + datetime.timedelta(days=rng.randint(1, 8)),
                             self.anchor - datetime.timedelta(days=1))
            skeletons.append((received, "decided", shared, max(decided_on, shared.date())))
        decided = [i for i, s in enumerate(skeletons) if s[1] == "decided"
                   and s[3] < self.anchor - datetime.timedelta(days=3)]
        cases = set(rng.sample(decided, min(len(decided), self.scale.cases)))
        return skeletons, cases

    def referrals(self):
        rng = self.rng("referrals")
        skeletons, case_indexes = self.referral_skeletons(rng)
        self.plans = self.case_plans(self.rng("case plans"), skeletons, case_indexes)
        referral_columns = [
            "reference", "kind", "status", "received_at", "submitted_by_id", "referrer_name", "referrer_role",
            "referrer_organisation", "referrer_email", "referrer_phone", "referrer_relationship",
            "dsl_consulted", "dsl_name", "dsl_contact", "subject_given_name", "subject_family_name",
            "subject_other_names", "subject_description", "subject_date_of_birth", "subject_approximate_age",
            "subject_gender", "subject_address", "subject_postcode", "subject_school_or_employer",
            "subject_postcode_key", "subject_address_key", "subject_language", "subject_interpreter_needed",
            "subject_nationality", "carer_name", "carer_relationship", "carer_phone", "carer_address",
            "subject_aware", "family_aware", "concern_description", "concern_when", "concern_how_noticed",
            "concern_prompts", "special_educational_needs", "mental_health_needs", "neurodiversity",
            "complex_needs_details", "other_agencies", "person_id", "person_confirmed_by_id",
            "person_confirmed_at", "police_shared_at", "police_shared_method", "police_shared_notes",
            "police_shared_recorded_by_id", "gateway_outcome", "gateway_signposted_to", "gateway_reasons",
            "gateway_decided_on", "gateway_recorded_by_id", "gateway_recorded_at", "sector", "concern_type",
            "reported_gender", "ethnicity", "age_at_referral", "mental_health_or_neurodiversity",
            "retain_until", "retention_policy_id"]
        referrals = self.table(Referral, referral_columns)
        referral_names = self.table(ReferralName, ["referral_id", "kind", "given_name", "family_name",
                                                   "given_key", "family_key"])
        people = self.table(Person, ["given_name", "family_name", "date_of_birth", "gender", "address",
                                     "postcode", "address_key", "school_or_employer", "created_at",
                                     "created_by_id", "started_from_id", "hand_entered",
                                     "started_from_deleted", "restriction_reason"])
        person_names = self.table(PersonName, ["person_id", "kind", "given_name", "family_name", "given_key",
                                               "family_key", "source_referral_id"])
        self.chronology = self.table(ChronologyEntry, [
            "case_id", "person_id", "occurred_at", "kind", "summary", "object_type", "object_id",
            "recorded_by_id"])
        coordinators = self.staff_by_role[Role.PREVENT_COORDINATOR]
        police = self.staff_by_role[Role.POLICE_PRACTITIONER]
        known_people = []  # (person id, given, family, dob, gender, address, postcode, school)
        progress = self.progress("referrals", len(skeletons))
        for index, (received, status, shared, decided_on) in enumerate(skeletons):
            kind = rng.choices(["practitioner", "public", "partner_api"], [80, 15, 5])[0]
            referral_id = referrals.next_id
            plan = self.plans.get(index)
            # The person: new, or someone referred before (a repeat referral).
            person_id = None
            if status != "new" and known_people and rng.random() < 0.04:
                person = known_people[len(known_people) - 1 - int(len(known_people) * rng.random() ** 2)]
                person_id, given, family, dob, gender, address, postcode, school = person
            else:
                given, family = rng.choice(words.GIVEN_NAMES), rng.choice(words.FAMILY_NAMES)
                age = int(rng.choices([11, 14, 16, 19, 25, 35, 50], [12, 25, 18, 15, 14, 10, 6])[0]
                          + rng.random() * 4)
                dob = received.date() - datetime.timedelta(days=round(age * 365.25) + rng.randint(0, 360))
                gender = rng.choices(["Male", "Female", "Non-binary"], [80, 18, 2])[0]
                address, postcode = _address(rng)
                school = rng.choice(words.SCHOOLS if age < 19 else words.EMPLOYERS)
                if status != "new":
                    confirmed = received + datetime.timedelta(hours=rng.uniform(1, 20))
                    person_id = people.add(given, family, dob, gender, address, postcode,
                                           self.address_key(address), school, confirmed,
                                           rng.choice(coordinators), referral_id, [], False, "")
                    person_names.add(person_id, "main", given, family, self.name_key(given),
                                     self.name_key(family), referral_id)
                    known_people.append((person_id, given, family, dob, gender, address, postcode, school))
            age_now = (received.date() - dob).days // 365
            under_18 = age_now < 18
            referrer = f"{rng.choice(words.GIVEN_NAMES)} {rng.choice(words.FAMILY_NAMES)}"
            partner, partner_kind = rng.choice(self.partners)
            public = kind == "public"
            received_day = received.date()
            concern_type = ""
            outcome, retain, policy = "", None, None
            coordinator = rng.choice(coordinators)
            officer = rng.choice(police)
            if status == "decided":
                if plan is not None:
                    outcome = "proceed_to_channel"
                else:
                    outcome = rng.choices(["no_further_action", "signposted", "police_led"], [50, 35, 15])[0]
                    record_type = (RecordType.REFERRAL_POLICE_LED if outcome == "police_led"
                                   else RecordType.REFERRAL_CLOSED)
                    retain, policy = self.kept(record_type, decided_on)
            if status != "new":
                if received_day < CONCERN_CHANGE:
                    concern_type = rng.choices(CONCERNS_BEFORE, CONCERNS_BEFORE_WEIGHTS)[0]
                else:
                    concern_type = rng.choices(CONCERNS_AFTER, CONCERNS_AFTER_WEIGHTS)[0]
            sector = (rng.choice(["friends_and_family", "community"]) if public else
                      rng.choices(["education", "police", "local_authority", "health", "prisons", "probation",
                                   "other"], [35, 22, 15, 12, 3, 5, 8])[0])
            gateway_at = (_office_time(rng, decided_on) if decided_on else None)
            if gateway_at is not None and gateway_at < shared:
                gateway_at = shared + datetime.timedelta(hours=1)
            reference = f"PRV-{received.astimezone(LONDON):%Y}-{referral_id:06d}"
            referrals.add(
                reference, kind, status, received,
                None, "" if public and rng.random() < 0.3 else referrer,
                "" if public else rng.choice(["Teacher", "Youth worker", "Nurse", "Police officer",
                                              "Social worker", "Probation officer"]),
                "" if public else self.organisation_names.get(partner, ""),
                f"referrer-{referral_id}@{SYNTHETIC_DOMAIN}" if not public or rng.random() < 0.5 else "",
                "01632 960" + f"{rng.randint(0, 999):03d}",  # Ofcom's drama range
                rng.choice(["Neighbour", "Relative", "Friend"]) if public else "Professional",
                "" if public else rng.choice(["yes", "no", "unknown"]), "", "",
                given, family, "", "", dob, None, gender, address, addresses.format_postcode(postcode),
                school, postcode, self.address_key(address), "English", "no", "British (fictional record)",
                f"{rng.choice(words.GIVEN_NAMES)} {family}" if under_18 else "",
                "Parent" if under_18 else "", "", "",
                rng.choice(["yes", "no", "unknown"]), rng.choice(["yes", "no", "unknown"]),
                rng.choice(words.CONCERNS), "Over the last few weeks (fictional)",
                "Seen and heard by the fictional referrer.",
                rng.sample(["online_activity", "support_for_violence", "contact_with_groups", "threats"],
                           rng.randint(0, 2)),
                rng.choice(["yes", "no", "unknown"]), rng.choice(["yes", "no", "unknown"]),
                rng.choice(["yes", "no", "unknown"]), "", "",
                person_id, coordinator if person_id else None,
                received + datetime.timedelta(hours=1) if person_id else None,
                shared, "secure_email" if shared else "", "", officer if shared else None,
                outcome, "Fictional youth service (fictional)" if outcome == "signposted" else "",
                "Fictional reasons recorded by the police gateway." if outcome else "",
                decided_on, officer if decided_on else None, gateway_at,
                sector, concern_type, gender.lower() if gender in ("Male", "Female") else "other",
                rng.choices(["white", "asian", "black", "mixed", "other", "not_known"],
                            [60, 15, 5, 5, 3, 12])[0] if status != "new" else "",
                age_now if status != "new" else None,
                rng.choice(["yes", "no", "not_known"]) if status != "new" else "",
                retain, policy,
            )
            referral_names.add(referral_id, "main", given, family, self.name_key(given),
                               self.name_key(family))
            if person_id:
                self.chronology.add(None, person_id, received, "referral", words.CHRONOLOGY["referral"],
                                    "referrals.referral", str(referral_id), None)
                self.chronology.add(None, person_id, shared, "referral", words.CHRONOLOGY["shared"],
                                    "referrals.referral", str(referral_id), officer)
                if decided_on:
                    label = outcome.replace("_", " ")
                    self.chronology.add(None, person_id, gateway_at, "decision",
                                        words.CHRONOLOGY["decision"].format(outcome=label),
                                        "referrals.referral", str(referral_id), officer)
            self.referral_rows.append((referral_id, person_id, received, reference))
            if plan is not None:
                plan["referral_id"], plan["person_id"] = referral_id, person_id
                plan["under_18"], plan["subject"] = under_18, f"{given} {family}"
            progress.advance()
        self.people_count = people.next_id
        progress.close()

    # ------------------------------------------------------------ case plans

    def case_plans(self, rng, skeletons, case_indexes) -> dict[int, dict]:
        plans = {}
        for index in sorted(case_indexes):
            received, _, _, decided_on = skeletons[index]
            plans[index] = self.case_plan(rng, decided_on, rng.choices(range(len(self.areas)),
                                                                        self.area_weights)[0])
        # Every status on some case, whatever the scale: the most recent cases
        # stop at the statuses nothing reached by itself.
        present = Counter(plan["status"] for plan in plans.values())
        candidates = sorted(plans, reverse=True)
        used = set()
        for status in CaseStatus.values:
            if present[status]:
                continue
            for index in candidates:
                if index in used:
                    continue
                trial = self.case_plan(random.Random(f"{self.seed}:force:{index}:{status}"),
                                       skeletons[index][3], plans[index]["area"], stop_at=status)
                if trial["status"] == status:
                    present[plans[index]["status"]] -= 1
                    plans[index] = trial
                    present[status] += 1
                    used.add(index)
                    break
        return plans

    def case_plan(self, rng, decided_on, area, *, stop_at=None) -> dict:
        """The path one case takes from the gateway decision: each status it
        reaches by the anchor date, and the facts each move sets."""
        anchor = self.anchor
        opened = _office_time(rng, min(decided_on + datetime.timedelta(days=rng.randint(0, 3)),
                                       anchor - datetime.timedelta(days=1)))
        plan = {"opened_at": opened, "area": area, "moves": [], "status": S.SCREENING, "facts": {},
                "meetings": []}
        path = PATHS.get(stop_at) if stop_at and stop_at != S.CLOSED else None
        facts = plan["facts"]

        def move(to, day, **set_facts):
            at = day if isinstance(day, datetime.datetime) else _office_time(rng, day)
            if at.date() >= anchor or (path is not None and to not in path and to != S.CLOSED):
                return False
            if path is not None and stop_at != S.CLOSED and plan["status"] == stop_at:
                return False
            plan["moves"].append((plan["status"], to, at))
            plan["status"] = to
            facts.update(set_facts)
            facts["status_changed_at"] = at
            return True

        def close(day, reason):
            if stop_at not in (None, S.CLOSED):
                return
            if move(S.CLOSED, day):
                facts["closed_at"] = facts["status_changed_at"]
                facts["closure_reason"] = reason

        day = opened.date()
        if rng.random() < 0.04 and stop_at in (None, S.CLOSED):
            close(day + datetime.timedelta(days=rng.randint(5, 30)), ClosureReason.OTHER)
            return plan
        if not move(S.AWAITING_PANEL, day + datetime.timedelta(days=rng.randint(5, 25))):
            return plan
        meeting = self.meeting_after(area, plan["moves"][-1][2].date() + datetime.timedelta(days=2))
        if meeting is None or meeting[1] >= anchor:
            return plan
        adopt = rng.random() < 0.7 if path is None else S.ADOPTED in path
        decision_day = meeting[1]
        plan["meetings"].append((meeting[0], decision_day, "awaiting_decision",
                                 "adopt" if adopt else "not_adopt"))
        if not adopt:
            if move(S.NOT_ADOPTED, _utc(decision_day, 12 * 60), first_discussed_on=decision_day,
                    not_adopted_on=decision_day):
                close(decision_day + datetime.timedelta(days=rng.randint(3, 20)), ClosureReason.NOT_ADOPTED)
            return plan
        if not move(S.ADOPTED, _utc(decision_day, 12 * 60), first_discussed_on=decision_day,
                    adopted_on=decision_day):
            return plan
        day = decision_day
        if not move(S.CONSENT_SOUGHT, day + datetime.timedelta(days=rng.randint(1, 7))):
            return plan
        facts["consent_asked_on"] = plan["moves"][-1][2].date()
        day = facts["consent_asked_on"] + datetime.timedelta(days=rng.randint(3, 20))
        given = rng.random() < 0.85 if path is None else S.CONSENT_GIVEN in path
        if not given:
            if move(S.CONSENT_REFUSED, day, consent_answer="refused", consent_answered_on=day,
                    reassessment_date=day + datetime.timedelta(days=90)):
                close(day + datetime.timedelta(days=rng.randint(90, 120)), ClosureReason.CONSENT_REFUSED)
            return plan
        if not move(S.CONSENT_GIVEN, day, consent_answer="given", consent_answered_on=day):
            return plan
        day += datetime.timedelta(days=rng.randint(3, 14))
        if not move(S.SUPPORT, day, support_started_on=day):
            return plan
        support_days = rng.randint(90, 400)
        exit_day = day + datetime.timedelta(days=support_days)
        # Reviews every four weeks at the next panel meeting, while supported.
        review_day = day + datetime.timedelta(days=REVIEW_INTERVAL)
        reviews = []
        while review_day < min(exit_day, anchor):
            reviews.append(review_day)
            review_day += datetime.timedelta(days=REVIEW_INTERVAL)
        facts["reviews"] = reviews
        facts["next_review"] = review_day
        facts["sessions_until"] = min(exit_day, anchor)
        if rng.random() < 0.06 and path is None:
            withdrawn = day + datetime.timedelta(days=rng.randint(20, max(21, support_days - 10)))
            facts["sessions_until"] = min(withdrawn, anchor)
            facts["reviews"] = [r for r in reviews if r < withdrawn]
            if move(S.CONSENT_REFUSED, withdrawn, consent_withdrawn_on=withdrawn,
                    reassessment_date=withdrawn + datetime.timedelta(days=90)):
                close(withdrawn + datetime.timedelta(days=rng.randint(90, 120)),
                      ClosureReason.CONSENT_REFUSED)
            return plan
        exit_meeting = self.meeting_after(area, exit_day)
        if exit_meeting is None or exit_meeting[1] >= anchor:
            return plan
        exit_day = exit_meeting[1]
        plan["meetings"].append((exit_meeting[0], exit_day, "review_due", "exit"))
        if not move(S.EXITED, _utc(exit_day, 12 * 60), exit_date=exit_day):
            return plan
        facts["post_exit"] = [exit_day + datetime.timedelta(days=182),
                              exit_day + datetime.timedelta(days=365)]
        close(exit_day + datetime.timedelta(days=rng.randint(366, 380)), ClosureReason.POST_EXIT_REVIEWS_DONE)
        return plan

    # ------------------------------------------------------------ cases

    def cases(self):
        rng = self.rng("cases")
        plans = [self.plans[index] for index in sorted(self.plans)]
        cases = self.table(ChannelCase, [
            "reference", "person_id", "referral_id", "status", "status_changed_at", "area_id", "opened_at",
            "opened_by_id", "not_adopted_outcome", "not_adopted_signposted_to",
            "health_social_care_considered", "health_social_care_notes", "adopted_on", "first_discussed_on",
            "reassessment_date", "support_started_on", "next_review_date", "exit_date", "exit_reasons",
            "closed_at", "closure_reason", "closure_details", "last_session_delivered_on", "retain_until",
            "retention_policy_id"])
        transitions = self.table(CaseTransition, ["case_id", "from_status", "to_status", "occurred_at",
                                                  "by_id", "reasons"])
        team = self.table(CaseTeamMember, ["case_id", "user_id", "role", "added_at", "added_by_id"])
        requests = self.table(InformationRequest, [
            "case_id", "organisation_id", "organisation_name", "contact", "question", "requested_on",
            "due_date", "requested_by_id", "answer", "response", "decline_reason", "answered_on",
            "answer_recorded_by_id"])
        consents = self.table(Consent, [
            "case_id", "giver", "giver_name", "giver_relationship", "asked_by_id", "method", "asked_on",
            "answer", "answered_on", "capacity_notes", "child_views", "notes", "withdrawn_on",
            "withdrawal_notes", "withdrawal_recorded_by_id", "recorded_by_id", "recorded_at"])
        support_plans = self.table(SupportPlan, ["case_id", "consent_how", "consent_when", "consent_by_whom",
                                                 "nature_of_support", "how_and_when_provided", "updated_at",
                                                 "updated_by_id"])
        providers = self.table(SupportProvider, ["plan_id", "organisation_id", "support_type",
                                                 "home_office_approved"])
        sessions = self.table(SupportSession, ["case_id", "provider_id", "held_on", "status", "notes",
                                               "recorded_by_id", "recorded_at"])
        reviews = self.table(Review, ["case_id", "kind", "months_after_exit", "due_date", "completed_on",
                                      "outcome", "recorded_by_id"])
        actions = self.table(PlanAction, ["case_id", "description", "owner_id", "due_date", "done_on",
                                          "created_by_id", "created_at", "done_by_id"])
        notes = self.table(Note, ["case_id", "text", "written_by_id", "written_at"])
        items = self.table(AgendaItem, [
            "meeting_id", "case_id", "position", "reason", "added_at", "added_by_id", "decision",
            "decision_method", "reasons", "decided_at", "decided_by_id", "minute"])
        chronology = self.chronology
        coordinators = self.staff_by_role[Role.PREVENT_COORDINATOR]
        police = self.staff_by_role[Role.POLICE_PRACTITIONER]
        mentors = self.staff_by_role[Role.INTERVENTION_PROVIDER]
        benchmark_mentor = self.accounts[Role.INTERVENTION_PROVIDER]
        benchmark_member = self.accounts[Role.PANEL_MEMBER]
        positions = Counter()
        # Notes fill the timeline up to the scale's size, spread over cases by
        # how long each has been open.
        fixed = sum(self._fixed_entries(plan) for plan in plans)
        budget = max(0, self.scale.timeline - self.counts.get("channel.ChronologyEntry", 0)
                     - len(chronology.rows) - fixed)
        spans = [max(1, ((plan["facts"].get("closed_at") or _utc(self.anchor, 0)) - plan["opened_at"]).days)
                 for plan in plans]
        total_span = sum(spans)
        progress = self.progress("cases", len(plans))
        carried = 0.0
        for plan, span in zip(plans, spans, strict=True):
            facts = plan["facts"]
            status = plan["status"]
            opened = plan["opened_at"]
            person = plan["person_id"]
            area, _, chair, _, _ = self.areas[plan["area"]]
            coordinator = rng.choice(coordinators)
            officer = rng.choice(police)
            case_id = cases.next_id
            self.case_rows.append((case_id, person, opened))
            retain, policy = None, None
            if facts.get("not_adopted_on"):
                retain, policy = self.kept(RecordType.CASE_NOT_ADOPTED, facts["not_adopted_on"])
            elif facts.get("exit_date"):
                retain, policy = self.kept(RecordType.CASE_EXITED_OR_TRANSFERRED, facts["exit_date"])
            elif status == S.CLOSED:
                retain, policy = self.kept(RecordType.CASE_CLOSED_OTHERWISE, facts["closed_at"].date())
            in_support = status == S.SUPPORT
            # Sessions first: a case in support shows its last delivered one.
            schedule, last_delivered = [], None
            if facts.get("support_started_on"):
                day = facts["support_started_on"] + datetime.timedelta(days=rng.randint(3, 10))
                while day < facts["sessions_until"]:
                    state = rng.choices(["delivered", "missed", "cancelled"], [85, 10, 5])[0]
                    schedule.append((day, state))
                    if state == "delivered":
                        last_delivered = day
                    day += datetime.timedelta(days=rng.randint(7, 18))
            cases.add(
                f"CH-{opened.astimezone(LONDON):%Y}-{case_id:06d}", person, plan["referral_id"], status,
                facts.get("status_changed_at", opened), area, opened, coordinator,
                "signposted" if facts.get("not_adopted_on") else "",
                "Fictional family support service" if facts.get("not_adopted_on") else "",
                True if facts.get("not_adopted_on") else None, "", facts.get("adopted_on"),
                facts.get("first_discussed_on"),
                facts.get("reassessment_date") if status == S.CONSENT_REFUSED else None,
                facts.get("support_started_on"), facts.get("next_review") if in_support else None,
                facts.get("exit_date"),
                "Support plan completed (fictional)." if facts.get("exit_date") else "",
                facts.get("closed_at"), facts.get("closure_reason", ""),
                "Closed (fictional)." if status == S.CLOSED else "",
                last_delivered if in_support else None, retain, policy)
            chronology.add(case_id, person, opened, "status", words.CHRONOLOGY["status"].format(
                status=S.SCREENING.label), "channel.channelcase", str(case_id), coordinator)
            team.add(case_id, coordinator, CaseRole.COORDINATOR, opened, coordinator)
            team.add(case_id, officer, CaseRole.POLICE, opened, coordinator)
            if rng.random() < 0.05:
                team.add(case_id, benchmark_member, CaseRole.MEMBER, opened, coordinator)
            # Screening: information from partners.
            for _ in range(rng.randint(1, 2)):
                org, _kind = rng.choice(self.partners)
                asked = opened.date() + datetime.timedelta(days=rng.randint(0, 3))
                due = asked + datetime.timedelta(days=10)
                answered = due - datetime.timedelta(days=rng.randint(0, 8))
                done = answered < self.anchor and status != S.SCREENING
                request_id = requests.add(
                    case_id, org, self.organisation_names.get(org, ""), "", "What do you know about the "
                    "person's circumstances? (fictional)", asked, due, coordinator,
                    "responded" if done else "", "Fictional response." if done else "", "",
                    answered if done else None, coordinator if done else None)
                chronology.add(case_id, person, _office_time(rng, asked), "information_request",
                               words.CHRONOLOGY["information_request"].format(
                                   organisation=self.organisation_names.get(org, "")),
                               "channel.informationrequest", str(request_id), coordinator)
            for from_status, to_status, at in plan["moves"]:
                by = chair if to_status in (S.ADOPTED, S.NOT_ADOPTED, S.EXITED) else coordinator
                transitions.add(case_id, from_status, to_status, at, by, "Fictional reasons.")
                chronology.add(case_id, person, at, "status", words.CHRONOLOGY["status"].format(
                    status=S(to_status).label), "channel.channelcase", str(case_id), by)
            for meeting, day, reason, decision in plan["meetings"]:
                self._items_seen.add((meeting, case_id))
                positions[meeting] += 1
                items.add(meeting, case_id, positions[meeting], reason,
                          _utc(day - datetime.timedelta(days=10), 11 * 60), coordinator, decision,
                          "consensus", "Fictional reasons for the decision.",
                          _utc(day, 12 * 60), chair, "Discussed; the panel agreed (fictional).")
            if facts.get("consent_asked_on"):
                answer = facts.get("consent_answer", "")
                answered_on = facts.get("consent_answered_on")
                withdrawn = facts.get("consent_withdrawn_on")
                consent_id = consents.add(
                    case_id, "parent_or_guardian" if plan["under_18"] else "person",
                    f"Parent of {plan['subject']}" if plan["under_18"] else plan["subject"],
                    "Parent" if plan["under_18"] else "", coordinator, "in_person", facts["consent_asked_on"],
                    answer, answered_on, "", "", "", withdrawn, "Withdrawn (fictional)." if withdrawn else "",
                    coordinator if withdrawn else None, coordinator,
                    _office_time(rng, answered_on or facts["consent_asked_on"]))
                if answer:
                    chronology.add(case_id, person, _office_time(rng, answered_on), "consent",
                                   words.CHRONOLOGY["consent"].format(answer=answer), "channel.consent",
                                   str(consent_id), coordinator)
            if facts.get("support_started_on"):
                started = facts["support_started_on"]
                plan_id = support_plans.add(case_id, "In person with the family (fictional)", "At adoption",
                                            "The Prevent coordinator", "Mentoring (fictional)",
                                            "Fortnightly sessions (fictional)", _office_time(rng, started),
                                            coordinator)
                provider = providers.add(plan_id, self.mentors, "Mentoring", True)
                mentor = benchmark_mentor if rng.random() < 0.2 else rng.choice(mentors)
                team.add(case_id, mentor, CaseRole.INTERVENTION_PROVIDER, _office_time(rng, started),
                         coordinator)
                for day, state in schedule:
                    at = _office_time(rng, day)
                    session_id = sessions.add(case_id, provider, day, state, rng.choice(words.SESSION_TEXTS),
                                              mentor, at)
                    chronology.add(case_id, person, at, "session",
                                   words.CHRONOLOGY["session"].format(status=state), "channel.supportsession",
                                   str(session_id), mentor)
                for due in facts.get("reviews", []):
                    review_id = reviews.add(case_id, "panel_review", None, due, due,
                                            "Continue support (fictional).", chair)
                    chronology.add(case_id, person, _office_time(rng, due), "review",
                                   words.CHRONOLOGY["review"], "channel.review", str(review_id), chair)
                    meeting = self.meeting_after(plan["area"], due)
                    if meeting and meeting[1] < self.anchor and meeting[1] != facts.get("exit_date"):
                        key = (meeting[0], case_id)
                        if key not in self._items_seen:
                            self._items_seen.add(key)
                            positions[meeting[0]] += 1
                            items.add(meeting[0], case_id, positions[meeting[0]], "review_due",
                                      _utc(meeting[1] - datetime.timedelta(days=10), 11 * 60), coordinator,
                                      "continue_support", "consensus", "Progress is good (fictional).",
                                      _utc(meeting[1], 12 * 60), chair, "Support continues (fictional).")
                if in_support:
                    reviews.add(case_id, "panel_review", None, facts["next_review"], None, "", None)
                for number in range(rng.randint(1, 3)):
                    due = started + datetime.timedelta(days=rng.randint(14, 120))
                    done = due < self.anchor - datetime.timedelta(days=rng.randint(0, 30)) and number != 0 \
                        or status == S.CLOSED
                    actions.add(case_id, "Arrange a fictional mentoring session.", coordinator, due,
                                due if done else None, chair, _office_time(rng, started),
                                coordinator if done else None)
            for months, due in zip((6, 12), facts.get("post_exit", []), strict=False):
                done = due < self.anchor
                review_id = reviews.add(case_id, "post_exit", months, due, due if done else None,
                                        "No further concerns (fictional)." if done else "",
                                        chair if done else None)
                if done:
                    chronology.add(case_id, person, _office_time(rng, due), "review",
                                   words.CHRONOLOGY["post_exit"].format(months=months), "channel.review",
                                   str(review_id), chair)
            # Notes, to fill the timeline.
            share = budget * span / total_span + carried
            count = int(share)
            carried = share - count
            end = facts.get("closed_at") or _utc(self.anchor, 0)
            length = (end - opened).total_seconds()
            for _ in range(count):
                at = opened + datetime.timedelta(seconds=rng.random() * length)
                writer = rng.choice((coordinator, coordinator, officer))
                note_id = notes.add(case_id, rng.choice(words.NOTE_TEXTS), writer, at)
                chronology.add(case_id, person, at, "note", words.CHRONOLOGY["note"], "channel.note",
                               str(note_id), writer)
            progress.advance()
        progress.close()
        self.case_count = len(plans)

    def _fixed_entries(self, plan) -> int:
        """Timeline entries a case gets besides notes (an estimate for sessions)."""
        facts = plan["facts"]
        entries = 1 + len(plan["moves"]) + 1.5 + (1 if facts.get("consent_answer") else 0)
        if facts.get("support_started_on"):
            entries += ((facts["sessions_until"] - facts["support_started_on"]).days / 12.5
                        + len(facts.get("reviews", [])))
        entries += sum(1 for due in facts.get("post_exit", []) if due < self.anchor)
        return int(entries)

    # ------------------------------------------------------------ venues

    def venues(self):
        rng = self.rng("venues")
        venues = self.table(Venue, ["name", "kind", "address", "active", "created_at"])
        rooms = self.table(Room, ["venue_id", "name", "capacity", "active"])
        hours = self.table(OpeningHours, ["venue_id", "weekday", "opens", "closes"])
        bookings = self.table(VenueBooking, [
            "reference", "status", "received_at", "room_id", "venue_id", "event_date", "starts_at", "ends_at",
            "booker_name", "booker_other_names", "booker_email", "booker_phone", "booker_address",
            "organisation_name", "booking_capacity", "other_organisation_name", "website", "charity_number",
            "company_number", "equality_policy", "title", "theme", "agenda", "expected_audience",
            "audience_description", "admission", "promotion", "conditions_id", "conditions_accepted_at",
            "decision_outcome", "appeal_by", "end_reason", "retain_until", "retention_policy_id"])
        decisions = self.table(BookingDecision, ["booking_id", "outcome", "reasons", "clause_id",
                                                 "decided_at", "decided_on", "decided_by_id", "reapproval"])
        conditions = BookingConditions.objects.order_by("-version").values_list("pk", flat=True).first()
        if conditions is None:
            return
        clause = ConditionsClause.objects.filter(conditions=conditions).order_by("position").values_list(
            "pk", flat=True).first()
        existing = set(Venue.objects.values_list("name", flat=True))
        kinds = ["library", "community_centre", "leisure_centre", "childrens_centre", "museum"]
        all_rooms = []
        created = _utc(self.start - datetime.timedelta(days=30), 10 * 60)
        names_made = 0
        for town in words.TOWNS:
            for word in ["", *words.AREA_WORDS]:
                for kind in kinds:
                    if names_made >= self.scale.venues:
                        break
                    name = f"{word + ' ' if word else ''}{town} {kind.replace('_', ' ').title()} (fictional)"
                    if name in existing:
                        continue
                    address, _ = _address(rng)
                    venue = venues.add(name, kind, address, True, created)
                    names_made += 1
                    for weekday in range(6):
                        hours.add(venue, weekday, datetime.time(9), datetime.time(21))
                    for number in range(rng.randint(1, 3)):
                        room = rooms.add(venue, f"Room {number + 1}", rng.choice([20, 40, 80]), True)
                        all_rooms.append((venue, room))
        if not all_rooms:
            return
        officer = self.staff_by_role[Role.VENUE_BOOKING_OFFICER]
        final = ["approved", "approved_with_conditions", "refused", "withdrawn", "cancelled", "appeal_upheld",
                 "appeal_dismissed"]
        pending = ["requested", "checking", "escalated", "appealed", "changed_awaiting_reapproval"]
        count = self.scale.bookings
        received_days = sorted(self.random_day(rng) for _ in range(count))
        for index, received_day in enumerate(received_days):
            force = count - 1 - index
            if force < len(final) + len(pending):
                # The last few cover every status.
                status = (final + pending)[force]
                if status in pending:
                    received_day = self.anchor - datetime.timedelta(days=rng.randint(1, 10))
            elif (self.anchor - received_day).days < 20:
                status = rng.choice(pending)
            else:
                status = rng.choices(final, [70, 10, 5, 5, 3, 1, 1])[0]
            event_date = received_day + datetime.timedelta(days=rng.randint(14, 90))
            venue, room = rng.choice(all_rooms)
            booking_id = bookings.next_id
            received = _office_time(rng, received_day)
            outcome = {"approved": "approve", "approved_with_conditions": "approve_with_conditions",
                       "refused": "refuse", "appeal_upheld": "refuse", "appeal_dismissed": "refuse",
                       "appealed": "refuse"}.get(status, "")
            retain, policy = (self.kept(RecordType.VENUE_BOOKING, event_date)
                              if status in final and event_date < self.anchor else (None, None))
            booker = f"{rng.choice(words.GIVEN_NAMES)} {rng.choice(words.FAMILY_NAMES)}"
            address, _ = _address(rng)
            bookings.add(
                f"VEN-{received.astimezone(LONDON):%Y}-{booking_id:06d}", status, received, room, venue,
                event_date, datetime.time(18), datetime.time(20), booker, "",
                f"booker-{booking_id}@{SYNTHETIC_DOMAIN}",
                "01632 960" + f"{rng.randint(0, 999):03d}", address,
                f"{rng.choice(words.TOWNS)} Community Group (fictional)", "own", "", "", "", "",
                "has_one", rng.choice(words.BOOKING_TITLES), "", "Welcome, talk, questions (fictional).",
                rng.randint(10, 60), "Local residents (fictional).", "open", "", conditions, received,
                outcome, None, "", retain, policy)
            if outcome:
                decided_on = min(received_day + datetime.timedelta(days=rng.randint(2, 10)),
                                 self.anchor - datetime.timedelta(days=1))
                decisions.add(booking_id, outcome, "Checks complete (fictional).",
                              None if outcome == "approve" else clause, _office_time(rng, decided_on),
                              decided_on, rng.choice(officer), False)

    # ------------------------------------------------------------ complaints

    def complaints(self):
        rng = self.rng("complaints")
        complaints = self.table(Complaint, [
            "reference", "status", "source", "received_at", "received_on", "recorded_by_id",
            "complainant_name", "relationship", "relationship_other", "affected_person_name",
            "contact_preference", "email",
            "phone", "address", "adjustments", "what_happened", "happened_on", "happened_when",
            "organisation_kind", "organisation_name", "outcome_wanted", "organisation_consent",
            "stacu_consent", "scope", "scope_reasons", "category", "triaged_at", "triaged_by_id", "owner_id",
            "concerns_reference", "acknowledge_by", "respond_by", "acknowledged_on", "responded_on",
            "outcome", "remedy", "lessons_learnt", "closed_on", "close_reasons", "retain_until",
            "retention_policy_id"])
        officer = self.staff_by_role[Role.COMPLAINTS_OFFICER]
        statuses = ["received", "investigating", "responded", "passed_on", "signposted", "withdrawn"]
        count = self.scale.complaints
        days = sorted(self.random_day(rng) for _ in range(count))
        for index, day in enumerate(days):
            force = count - 1 - index
            if force < len(statuses):
                status = statuses[force]
                if status in ("received", "investigating"):
                    day = self.anchor - datetime.timedelta(days=rng.randint(1, 15))
            elif (self.anchor - day).days < 30:
                status = rng.choice(["received", "investigating"])
            else:
                status = rng.choices(statuses[2:], [60, 15, 15, 10])[0]
            complaint_id = complaints.next_id
            closed = status not in ("received", "investigating")
            closed_on = min(day + datetime.timedelta(days=rng.randint(10, 40)),
                            self.anchor - datetime.timedelta(days=1)) if closed else None
            retain, policy = self.kept(RecordType.COMPLAINT, closed_on) if closed else (None, None)
            triaged = status != "received"
            name = f"{rng.choice(words.GIVEN_NAMES)} {rng.choice(words.FAMILY_NAMES)}"
            complaints.add(
                f"CMP-{day:%Y}-{complaint_id:06d}", status, "online", _office_time(rng, day), day, None, name,
                "self", "", "", "email", f"complainant-{complaint_id}@{SYNTHETIC_DOMAIN}", "", "", "",
                rng.choice(words.COMPLAINT_TEXTS), None, "Last month (fictional)", "council", "",
                "An apology (fictional).", "not_asked", "not_asked",
                "application_of_duty_by_us" if triaged else "", "" , "communication" if triaged else "",
                _office_time(rng, day + datetime.timedelta(days=1)) if triaged else None,
                rng.choice(officer) if triaged else None, rng.choice(officer) if triaged else None, "",
                day + datetime.timedelta(days=5), day + datetime.timedelta(days=28),
                day + datetime.timedelta(days=2) if triaged else None,
                closed_on if status == "responded" else None,
                rng.choice(["upheld", "partly_upheld", "not_upheld"]) if status == "responded" else "",
                "", "", closed_on, "Closed (fictional)." if closed else "", retain, policy)

    # ------------------------------------------------------------ training

    def training(self):
        rng = self.rng("training")
        courses = list(Course.objects.values_list("pk", "refresh_months", "counts_for_compliance",
                                                  "for_leads"))
        if not courses:
            return
        learners = self.table(Learner, [
            "reference", "full_name", "email", "organisation_id", "job_role", "is_safeguarding_lead",
            "is_prevent_lead", "left_on", "trained_until", "referrals_course_until", "last_completed_on",
            "created_at", "updated_at", "retain_until", "retention_policy_id"])
        completions = self.table(Completion, [
            "learner_id", "course_id", "completed_on", "expires_on", "certificate_reference", "evidence",
            "evidence_name", "evidence_content_type", "source", "recorded_at"])
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        per_learner = self.scale.completions / max(1, self.scale.learners)
        created = _utc(self.start, 9 * 60)
        for _ in range(self.scale.learners):
            learner_id = learners.next_id
            code, n = "", learner_id
            for _ in range(8):
                n, digit = divmod(n, len(alphabet))
                code = alphabet[digit] + code
            org, _kind = rng.choice(self.partners)
            done = []
            for _ in range(int(per_learner) + (1 if rng.random() < per_learner % 1 else 0)):
                course, months, counts, for_leads = rng.choice(courses)
                completed = self.random_day(rng)
                if any(course == other and completed == day for other, day, *_ in done):
                    continue  # one completion of a course a day
                expires = completed + datetime.timedelta(days=round((months or 24) * 30.44))
                done.append((course, completed, expires, counts, for_leads))
            left = self.random_day(rng) if rng.random() < 0.05 else None
            retain, policy = self.kept(RecordType.TRAINING_RECORD, left) if left else (None, None)
            learners.add(
                f"LRN-{code}", f"{rng.choice(words.GIVEN_NAMES)} {rng.choice(words.FAMILY_NAMES)}",
                f"learner-{learner_id}@{SYNTHETIC_DOMAIN}", org, rng.choice(["Teacher", "Nurse", "Officer"]),
                rng.random() < 0.05, rng.random() < 0.02, left,
                max((e for _, _, e, c, _ in done if c), default=None),
                max((e for _, _, e, _, f in done if f), default=None),
                max((d for _, d, _, _, _ in done), default=None), created, created, retain, policy)
            for course, completed, expires, _, _ in done:
                completions.add(learner_id, course, completed, expires, f"CERT-{learner_id}-{course}", "",
                                "", "", "import", _office_time(rng, completed))

    # ------------------------------------------------------------ rights

    def rights_requests(self):
        rng = self.rng("rights")
        requests = self.table(RightsRequest, [
            "reference", "kind", "status", "requester_name", "requester_contact", "requester_relationship",
            "relationship_details", "received_on", "subject_details", "request_text", "logged_at",
            "logged_by_id", "person_id", "identity_method", "identity_notes", "identity_verified_at",
            "identity_verified_by_id", "original_due_on", "due_on", "extension_months", "extension_reason",
            "decision", "decision_reasons", "decided_at", "decided_by_id", "effects", "completed_at",
            "retain_until", "retention_policy_id"])
        dpo = self.accounts[Role.DATA_PROTECTION_OFFICER]
        count = self.scale.rights_requests
        days = sorted(self.random_day(rng) for _ in range(count))
        statuses = ["received", "in_progress", "completed"]
        for index, day in enumerate(days):
            force = count - 1 - index
            if force < 3:
                status = statuses[force]
                if status != "completed":
                    day = self.anchor - datetime.timedelta(days=rng.randint(1, 20))
            elif (self.anchor - day).days < 30:
                status = rng.choice(statuses[:2])
            else:
                status = "completed"
            request_id = requests.next_id
            verified = status != "received"
            done_on = min(day + datetime.timedelta(days=rng.randint(10, 28)),
                          self.anchor - datetime.timedelta(days=1)) if status == "completed" else None
            retain, policy = self.kept(RecordType.DATA_RIGHTS_REQUEST, done_on) if done_on else (None, None)
            name = f"{rng.choice(words.GIVEN_NAMES)} {rng.choice(words.FAMILY_NAMES)}"
            logged = _office_time(rng, day)
            requests.add(
                f"DPR-{day:%Y}-{request_id:06d}",
                rng.choice(["subject_access", "subject_access", "rectification", "erasure", "restriction"]),
                status, name, f"requester-{request_id}@{SYNTHETIC_DOMAIN}", "self", "", day,
                f"{name}, born 1 January 2000 (fictional)", rng.choice(words.RIGHTS_TEXTS), logged, dpo, None,
                "documents" if verified else "", "",
                logged + datetime.timedelta(days=1) if verified else None, dpo if verified else None,
                day + datetime.timedelta(days=30), day + datetime.timedelta(days=30), 0,
                "", "accepted" if done_on else "", "Fictional reasons." if done_on else "",
                _office_time(rng, done_on) if done_on else None, dpo if done_on else None, "",
                _office_time(rng, done_on) if done_on else None, retain, policy)

    # ------------------------------------------------------------ analyse

    def analyse(self):
        """Fresh planner statistics, as autovacuum or a nightly ANALYZE would
        leave them, so the first benchmark after loading sees real plans.
        On SQLite a sample of each index (analysis_limit) rather than every
        row: the full scan takes minutes at national scale."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit = 10000")
            cursor.execute("ANALYZE")

    # ------------------------------------------------------------ audit

    def audit_trail(self):
        from .audit_trail import audit_trail_load

        audit_trail_load(self)

