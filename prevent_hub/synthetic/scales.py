"""How much each scale makes. National-10y is what issue 20's targets are
measured at; national-1y is one year of a national service (about a tenth);
council is one county council over ten years; tiny is for the tests."""

import dataclasses
import datetime

# Every generated date lies in the years before this day, whatever day the
# command runs: the same seed gives the same rows next month too. `--anchor`
# moves it (for a demo that should look current).
DEFAULT_ANCHOR = datetime.date(2026, 12, 1)


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    years: int
    referrals: int
    cases: int
    timeline: int
    audit_events: int
    areas: int
    staff: int
    partner_organisations: int
    venues: int
    bookings: int
    complaints: int
    learners: int
    completions: int
    rights_requests: int

    def scaled(self, fraction: float) -> "Scale":
        """The same shape with every volume times `fraction` (reference data
        such as areas and venues kept to at least a few)."""
        if fraction == 1:
            return self
        keep = {"name", "years"}
        floors = {"areas": 2, "staff": 5, "partner_organisations": 5, "venues": 2, "referrals": 20,
                  "cases": 10}
        values = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in keep:
                values[field.name] = value
            else:
                values[field.name] = max(floors.get(field.name, 1), round(value * fraction))
        values["name"] = f"{self.name}×{fraction:g}"
        return Scale(**values)


SCALES = {
    scale.name: scale for scale in [
        Scale("council", years=10, referrals=2_000, cases=200, timeline=40_000, audit_events=400_000,
              areas=3, staff=40, partner_organisations=60, venues=12, bookings=1_500, complaints=80,
              learners=4_000, completions=10_000, rights_requests=40),
        Scale("national-1y", years=1, referrals=10_000, cases=1_000, timeline=200_000,
              audit_events=2_000_000, areas=40, staff=400, partner_organisations=1_000, venues=200,
              bookings=2_000, complaints=100, learners=20_000, completions=30_000, rights_requests=100),
        Scale("national-10y", years=10, referrals=100_000, cases=10_000, timeline=2_000_000,
              audit_events=20_000_000, areas=40, staff=400, partner_organisations=1_000, venues=200,
              bookings=20_000, complaints=1_000, learners=100_000, completions=250_000,
              rights_requests=1_000),
        # For the tests: every status still appears.
        Scale("tiny", years=10, referrals=150, cases=60, timeline=3_000, audit_events=4_000, areas=2,
              staff=8, partner_organisations=8, venues=2, bookings=30, complaints=12, learners=40,
              completions=80, rights_requests=8),
    ]
}
PUBLIC_SCALES = ["council", "national-1y", "national-10y"]
