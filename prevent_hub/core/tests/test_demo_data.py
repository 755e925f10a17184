import pytest
from django.core.management import CommandError, call_command

from prevent_hub.access.roles import Role
from prevent_hub.accounts.models import User
from prevent_hub.core.models import DemoDataLoad


@pytest.mark.django_db
def test_demo_data_loads_once(settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo_data", "--print-sign-in")
    first = capsys.readouterr().out
    users = User.objects.count()
    assert "Demo data loaded." in first
    assert "coordinator@demo.shireford.example" in first
    assert users == len(Role), "one demo account per role"

    call_command("load_demo_data")
    assert "already loaded" in capsys.readouterr().out
    assert User.objects.count() == users
    assert DemoDataLoad.objects.count() == 1


@pytest.mark.django_db
def test_demo_data_refuses_to_load_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo_data")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_accounts_are_obviously_fictional(settings):
    settings.DEMO_MODE = True
    call_command("load_demo_data")
    for user in User.objects.all():
        assert user.email.endswith(".example")
        assert "Demo" in user.full_name
