import pytest
from django.core.management import CommandError, call_command

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import User
from prevent_hub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_creates_the_first_administrator_with_a_set_password_link(capsys, client):
    call_command("create_system_administrator", "--email", "Quinn@Shireford.example",
                 "--name", "Quinn Example", "--organisation", "Shireford County Council",
                 "--site-url", "https://prevent.shireford.example")
    out = capsys.readouterr().out
    user = User.objects.get(email="quinn@shireford.example")
    assert user.roles == {Role.SYSTEM_ADMINISTRATOR}
    assert not user.has_usable_password()
    link = next(line for line in out.splitlines() if line.startswith("https://"))
    assert link.startswith("https://prevent.shireford.example/password-reset/")
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(user.pk)).exists()
    # The link works: it leads to the set-password form.
    response = client.get(link.removeprefix("https://prevent.shireford.example"), follow=True)
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()


def test_refuses_a_duplicate_or_a_bad_address():
    args = ["--name", "Q", "--organisation", "Shireford County Council", "--site-url", "https://x.example"]
    with pytest.raises(CommandError, match="not an email address"):
        call_command("create_system_administrator", "--email", "not-an-email", *args)
    call_command("create_system_administrator", "--email", "q@shireford.example", *args)
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_system_administrator", "--email", "Q@shireford.example", *args)
