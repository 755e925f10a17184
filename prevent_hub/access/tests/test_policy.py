from django.core.management import call_command

from prevent_hub.access.matrix import DOCUMENT, render
from prevent_hub.access.policy import ANY_SIGNED_IN_USER, DESCRIPTIONS, ROLE_MATRIX, Action


def test_every_action_has_roles_and_a_description():
    for action in Action:
        assert action in DESCRIPTIONS, action
        assert action in ANY_SIGNED_IN_USER or ROLE_MATRIX.get(action), action


def test_docs_access_md_matches_the_policy():
    assert DOCUMENT.read_text() == render(), (
        "docs/access.md and prevent_hub/access/policy.py disagree: "
        "run `manage.py access_matrix --write` and review the diff"
    )


def test_check_command_passes_when_in_step(capsys):
    call_command("access_matrix", "--check")
    assert "matches" in capsys.readouterr().out
