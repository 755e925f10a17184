"""The training demo: learners with every standing, a flagged lead, one who
has left and the demo accounts' own records, made through the services."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from prevent_hub.accounts.demo import DEMO_DOMAIN
from prevent_hub.audit.models import AuditEvent
from prevent_hub.training import selectors
from prevent_hub.training.models import Completion, Learner


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("load_demo_data")


def test_the_demo_has_learners_with_every_standing_a_flagged_lead_and_one_who_left(demo):
    today = timezone.localdate()
    here = Learner.objects.filter(selectors.still_here(today))
    for name, rule in selectors.standings(today).items():
        assert here.filter(rule).exists(), name
    assert here.filter(selectors.lead_without_referrals_course(today)).exists()
    assert Learner.objects.exclude(selectors.still_here(today)).count() == 1
    own = Learner.objects.get(email=f"schoollead@{DEMO_DOMAIN}")
    assert own.user is not None and own.completions.exists()
    assert AuditEvent.objects.filter(object_type="training.completion").count() == Completion.objects.count()
    assert mail.outbox == []
