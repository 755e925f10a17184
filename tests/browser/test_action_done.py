"""An intervention provider marks their own action done, with a note, in real
Chromium with axe-core: from "your tasks" to the case's support page and the
mark-done page, including a refused submission."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prevent_hub.access.roles import Role
from prevent_hub.channel.models import Note, PlanAction
from prevent_hub.channel.tests.factories_consent_support import action_for, case_in_support, join_team

from .conftest import checked, signed_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_provider_marks_their_action_done_with_a_note(page, live_server):
    provider = signed_in(page, live_server, Role.INTERVENTION_PROVIDER, full_name="Ivy Fictional-Provider")
    case = case_in_support()
    join_team(case, provider)
    action = action_for(case, owner=provider, description="Book the first mentoring session (fictional)",
                        due_in_days=-1)

    page.goto(reverse("channel:my-tasks"))
    expect(page.get_by_role("table", name="Actions you own")).to_contain_text("Book the first mentoring")
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator("h1")).to_have_text("Support")
    page.get_by_role("link", name=re.compile(r"^Mark as done")).click()
    expect(page.locator("h1")).to_have_text("Mark the action as done")
    checked(page)

    # A date in the future is refused, and what was typed is kept.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_label("Note (optional)").fill("Fictional: booked for Tuesday.")
    page.get_by_role("button", name="Mark as done").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date it was done must be today or in the past")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Note (optional)")).to_have_value("Fictional: booked for Tuesday.")
    checked(page)

    done = timezone.localdate()
    page.get_by_label("Day").fill(str(done.day))
    page.get_by_label("Month").fill(str(done.month))
    page.get_by_label("Year").fill(str(done.year))
    page.get_by_role("button", name="Mark as done").click()
    expect(page.locator("h1")).to_have_text("Support")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action marked as done")
    expect(page.locator("#actions ~ div table, #actions + * table").first).to_contain_text(
        "by Ivy Fictional-Provider")
    checked(page)
    action.refresh_from_db()
    assert action.done_on == done
    assert "Fictional: booked for Tuesday." in Note.objects.get(case=case).text
    assert PlanAction.objects.filter(owner=provider, done_on__isnull=True).count() == 0
