"""Ten years of use, as the audit trail records it: staff signing in,
opening referrals, cases and people (recent ones most), searching and
exporting lists, creating and changing records, spread over working days.

Events are made in time order, day by day, as plain tuples, and handed to
audit.services.audit_events_load, which chains and writes them in batches.
"""

import bisect
import datetime
import random

from prevent_hub.access.roles import Role
from prevent_hub.audit.services import audit_events_load

from . import vocabulary as words

UTC = datetime.UTC
# (action, what, share of events)
MIX = [
    ("sign_in", "", 4),
    ("sign_out", "", 1),
    ("view", "referrals.referral", 24),
    ("view", "channel.channelcase", 22),
    ("view", "people.person", 12),
    ("search", "referrals.referral", 6),
    ("search", "channel.channelcase", 5),
    ("search", "people.person", 3),
    ("export", "channel.channelcase", 1),
    ("download", "referrals.referral", 2),
    ("create", "channel.note", 8),
    ("update", "referrals.referral", 6),
    ("update", "channel.channelcase", 6),
]
ACTOR_ROLES = [
    (Role.PREVENT_COORDINATOR, 55), (Role.POLICE_PRACTITIONER, 20), (Role.CHANNEL_CHAIR, 6),
    (Role.PANEL_MEMBER, 8), (Role.INTERVENTION_PROVIDER, 6), (Role.AUDITOR, 2),
    (Role.DATA_PROTECTION_OFFICER, 1), (Role.SYSTEM_ADMINISTRATOR, 2),
]
CHANGED = {
    "referrals.referral": [["status", "police_shared_at"], ["gateway_outcome", "gateway_reasons", "status"],
                           ["sector", "concern_type"], ["person"]],
    "channel.channelcase": [["status", "status_changed_at"], ["next_review_date"], ["area"],
                            ["support_started_on", "status"]],
}
BATCH = 20_000


def day_counts(rng, start, anchor, total) -> list[tuple[datetime.date, int]]:
    """How many events each day gets: weekdays more than weekends, later
    years a little more than earlier ones; `total` in all."""
    days = [start + datetime.timedelta(days=n) for n in range((anchor - start).days)]
    span = max(1, len(days))
    weights = [(1.0 if day.weekday() < 5 else 0.12) * (0.7 + 0.6 * n / span) * (0.8 + 0.4 * rng.random())
               for n, day in enumerate(days)]
    scale = total / sum(weights)
    counts, carried = [], 0.0
    for day, weight in zip(days, weights, strict=True):
        share = weight * scale + carried
        count = int(share)
        carried = share - count
        counts.append((day, count))
    if counts and carried > 0.5:
        counts[-1] = (counts[-1][0], counts[-1][1] + 1)
    return counts


def events(generator, rng):
    """Every event, oldest first."""
    referrals = generator.referral_rows            # (id, person id, received at, reference), oldest first
    referral_times = [row[2] for row in referrals]
    cases = sorted(generator.case_rows, key=lambda row: row[2])  # (id, person id, opened at)
    case_times = [row[2] for row in cases]
    people = sorted({row[1]: row[2] for row in referrals if row[1]}.items(), key=lambda item: item[1])
    people_times = [row[1] for row in people]
    actors = []
    for role, weight in ACTOR_ROLES:
        staff = generator.staff_by_role.get(role) or []
        for pk in staff:
            actors.append((pk, weight / len(staff)))
    actor_ids = [pk for pk, _ in actors]
    actor_weights = [weight for _, weight in actors]
    organisation_of, organisation_names = generator.organisation_of, generator.organisation_names
    emails = generator.user_email
    actions = [(action, what) for action, what, _ in MIX]
    action_weights = [share for _, _, share in MIX]
    sequence = 0

    def recent(times, rows, at):
        known = bisect.bisect_right(times, at)
        if not known:
            return None
        return rows[known - 1 - int(known * rng.random() ** 3)]

    for day, count in day_counts(rng, generator.start, generator.anchor, generator.scale.audit_events):
        if not count:
            continue
        base = datetime.datetime(day.year, day.month, day.day, tzinfo=UTC)
        seconds = sorted(rng.randint(7 * 3600, 19 * 3600) for _ in range(count))
        chosen_actors = rng.choices(actor_ids, actor_weights, k=count)
        chosen_actions = rng.choices(actions, action_weights, k=count)
        for offset, actor, (action, what) in zip(seconds, chosen_actors, chosen_actions, strict=True):
            at = base + datetime.timedelta(seconds=offset, microseconds=rng.randrange(1_000_000))
            sequence += 1
            object_type, object_id, path, changed, details = what, "", "", [], {}
            if action in ("sign_in", "sign_out"):
                object_type = ""
                path = "/sign-in/" if action == "sign_in" else "/sign-out/"
            elif action == "search":
                path = {"referrals.referral": "/staff/referrals/", "channel.channelcase": "/staff/cases/",
                        "people.person": "/staff/people/"}[what]
                details = {"list": what.split(".")[1], "page": 1 + int(rng.random() ** 4 * 5)}
            elif action == "export":
                path = "/staff/cases/export.csv"
                details = {"list": "cases", "rows": rng.randint(10, 2000), "format": "csv"}
            else:
                if what == "referrals.referral":
                    row = recent(referral_times, referrals, at)
                    if row is None:
                        object_type, action, path = "", "sign_in", "/sign-in/"
                    else:
                        object_id = str(row[0])
                        path = (f"/staff/referrals/{row[3]}/"
                                + ("referral.pdf" if action == "download" else ""))
                elif what in ("channel.channelcase", "channel.note"):
                    row = recent(case_times, cases, at)
                    if row is None:
                        object_type, action, path = "", "sign_in", "/sign-in/"
                    else:
                        object_id = str(row[0])
                        path = f"/staff/cases/{row[0]}/"
                        if what == "channel.note":
                            object_type, object_id = "channel.channelcase", str(row[0])
                            changed = ["notes"]
                            path += "notes/"
                else:
                    row = recent(people_times, people, at)
                    if row is None:
                        object_type, action, path = "", "sign_in", "/sign-in/"
                    else:
                        object_id = str(row[0])
                        path = f"/staff/people/{row[0]}/"
                if action == "update" and object_type in CHANGED:
                    changed = rng.choice(CHANGED[object_type])
            organisation = organisation_of.get(actor)
            # audit.services.LOADED_FIELDS, in order.
            yield (at, actor, emails.get(actor, ""), organisation, organisation_names.get(organisation, ""),
                   action, object_type, object_id, changed, details, f"{sequence:032x}",
                   # TEST-NET-1 (RFC 5737): addresses reserved for examples.
                   f"192.0.2.{1 + actor % 254}", words.USER_AGENTS[actor % len(words.USER_AGENTS)], path)


def audit_trail_load(generator) -> None:
    rng = random.Random(f"{generator.seed}:audit")
    progress = generator.progress("audit events", generator.scale.audit_events)
    shown = 0

    def advance(written):
        nonlocal shown
        progress.advance(written - shown)
        shown = written

    written = audit_events_load(events(generator, rng), progress=advance)
    progress.close()
    generator.counts["audit.AuditEvent"] = generator.counts.get("audit.AuditEvent", 0) + written
