"""docs/access.md, generated from the policy so the two cannot drift apart."""

from pathlib import Path

from django.conf import settings

from .policy import ANY_SIGNED_IN_USER, DESCRIPTIONS, ROLE_MATRIX, ROLE_SUMMARIES, Action
from .roles import Role
from .scopes import SCOPES

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "access.md"

INTRO = """\
# Who can do what

Generated from `prevent_hub/access/policy.py` by `manage.py access_matrix --write`;
a test fails if this file and the code disagree. Edit the policy, not this file.

Everything under `/staff/` needs a signed-in account with a verified second
factor. Every staff view declares one of the actions below; a view that declares
none is refused to everyone. Every refusal is written to the audit trail.
"""

SHORT = {
    Role.PREVENT_COORDINATOR: "Coord",
    Role.CHANNEL_CHAIR: "Chair",
    Role.POLICE_PRACTITIONER: "Police",
    Role.PANEL_MEMBER: "Panel",
    Role.INTERVENTION_PROVIDER: "IP",
    Role.VENUE_BOOKING_OFFICER: "Venues",
    Role.COMPLAINTS_OFFICER: "Compl",
    Role.INVESTIGATING_OFFICER: "Invest",
    Role.TRAINING_ADMINISTRATOR: "Train",
    Role.TRAINING_LEAD: "TrLead",
    Role.DATA_PROTECTION_OFFICER: "DPO",
    Role.AUDITOR: "Audit",
    Role.SYSTEM_ADMINISTRATOR: "SysAdm",
}


def render() -> str:
    roles = list(Role)
    lines = [INTRO, "## Roles", ""]
    lines += [f"- **{SHORT[role]}** — {role.label}: {ROLE_SUMMARIES[role]}" for role in roles]
    lines += ["", "## Actions", ""]
    lines.append("| action | what it allows | " + " | ".join(SHORT[role] for role in roles) + " |")
    lines.append("|---|---|" + "---|" * len(roles))
    for action in Action:
        if action in ANY_SIGNED_IN_USER:
            marks = ["✓"] * len(roles)
        else:
            marks = ["✓" if role in ROLE_MATRIX[action] else "" for role in roles]
        lines.append(f"| `{action}` | {DESCRIPTIONS[action]} | " + " | ".join(marks) + " |")
    lines += ["", "Open to every signed-in user, including one with no roles yet: "
              + ", ".join(f"`{action}`" for action in Action if action in ANY_SIGNED_IN_USER) + "."]
    lines += ["", "## Which records each role can see", "",
              "Lists and record pages use the same filter (`access.scope`), so they never disagree.", ""]
    for label, scope_function in SCOPES.items():
        lines.append(f"- **{label}** — {' '.join((scope_function.__doc__ or '').split())}")
    return "\n".join(lines) + "\n"
