import pytest
from django.core.management import call_command

from prevent_hub.channel.models import ChannelCase
from prevent_hub.referrals.models import Referral

from ..models import LegalHold, RetentionRun, Tombstone


@pytest.mark.django_db
def test_the_demo_has_a_hold_and_a_preview_run_and_deletes_nothing(settings):
    settings.DEMO_MODE = True
    call_command("load_demo_data")
    hold = LegalHold.objects.get()
    assert hold.case is not None and hold.placed_by.email.startswith("complaints@")
    assert hold.complaint is not None and hold.complaint.case == hold.case
    run = RetentionRun.objects.get()
    assert run.dry_run and run.status == "finished"
    assert Tombstone.objects.count() == 0
    assert ChannelCase.objects.exists() and Referral.objects.exists()
