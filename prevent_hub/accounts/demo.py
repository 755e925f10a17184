"""Demo organisations and one account per role. All invented."""

from prevent_hub.access.roles import Role
from prevent_hub.core.demo import DEMO_PASSWORD

from .models import Organisation, OrganisationType, RoleAssignment, User

DEMO_DOMAIN = "demo.shireford.example"

ORGANISATIONS = {
    "council": ("Shireford County Council", OrganisationType.LOCAL_AUTHORITY),
    "police": ("Shireford Police", OrganisationType.POLICE),
    "school": ("Millbrook Academy (demo)", OrganisationType.EDUCATION),
    "health": ("Shireford Community Health (demo)", OrganisationType.HEALTH),
    "mentors": ("Bridgeway Mentoring (demo)", OrganisationType.INTERVENTION_PROVIDER),
}

# (role, email local part, full name, organisation key)
ACCOUNTS = [
    (Role.PREVENT_COORDINATOR, "coordinator", "Alex Demo-Coordinator", "council"),
    (Role.CHANNEL_CHAIR, "chair", "Morgan Demo-Chair", "council"),
    (Role.POLICE_PRACTITIONER, "police", "Sam Demo-Officer", "police"),
    (Role.PANEL_MEMBER, "panel", "Jordan Demo-Member", "health"),
    (Role.INTERVENTION_PROVIDER, "mentor", "Riley Demo-Mentor", "mentors"),
    (Role.VENUE_BOOKING_OFFICER, "venues", "Casey Demo-Bookings", "council"),
    (Role.COMPLAINTS_OFFICER, "complaints", "Taylor Demo-Complaints", "council"),
    (Role.INVESTIGATING_OFFICER, "investigator", "Robin Demo-Investigator", "council"),
    (Role.TRAINING_ADMINISTRATOR, "training", "Jamie Demo-Training", "council"),
    (Role.TRAINING_LEAD, "schoollead", "Kit Demo-Safeguarding", "school"),
    (Role.DATA_PROTECTION_OFFICER, "dpo", "Drew Demo-Protection", "council"),
    (Role.AUDITOR, "auditor", "Avery Demo-Auditor", "council"),
    (Role.SYSTEM_ADMINISTRATOR, "admin", "Quinn Demo-Admin", "council"),
]


def is_demo_account(user) -> bool:
    return bool(user and user.is_authenticated and user.email.endswith("@" + DEMO_DOMAIN))


def load():
    organisations = {
        key: Organisation.objects.get_or_create(name=name, defaults={"type": kind})[0]
        for key, (name, kind) in ORGANISATIONS.items()
    }
    for role, local_part, name, organisation in ACCOUNTS:
        user = User.objects.create_user(
            f"{local_part}@{DEMO_DOMAIN}", DEMO_PASSWORD, full_name=name,
            organisation=organisations[organisation], job_title=Role(role).label,
        )
        RoleAssignment.objects.create(user=user, role=role)


def sign_in_help():
    return [(Role(role).label, f"{local}@{DEMO_DOMAIN}", DEMO_PASSWORD)
            for role, local, _name, _org in ACCOUNTS]
