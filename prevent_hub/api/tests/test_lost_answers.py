"""A submission whose answer never reaches the sender — the web worker died
after the referral was stored, or the connection dropped — is sent again, and
the sender gets the reference of the referral already stored, not a second
referral (benchmarks/durability.py does the same against a real server while
killing its workers).

The loss is simulated by a middleware that lets the request do all its work
and then fails instead of answering: outermost, the session has been saved
first; innermost, the worker "died" before the session was saved, so the
browser's session still says it is working on the draft it sent.
"""

import json

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from prevent_hub.referrals.models import Referral, ReferralDraft
from prevent_hub.referrals.tests.intake_helpers import PUBLIC_ANSWERS, fill, session_draft, submit

from .factories import bearer, issue_token, referral_body

pytestmark = pytest.mark.django_db

LOSE = "prevent_hub.api.tests.test_lost_answers.lose_the_answer_to_a_post"
_answers_to_lose = []


class AnswerLost(Exception):
    pass


def lose_the_answer_to_a_post(get_response):
    def middleware(request):
        response = get_response(request)
        if request.method == "POST" and _answers_to_lose:
            _answers_to_lose.pop()
            raise AnswerLost("the worker died before answering")
        return response

    return middleware


@pytest.fixture(params=["after the session was saved", "before the session was saved"])
def lossy_client(request, settings):
    """A client whose next POST does its work but gets no answer."""
    middleware = list(django_settings.MIDDLEWARE)
    settings.MIDDLEWARE = [LOSE, *middleware] if request.param.startswith("after") else [*middleware, LOSE]
    client = Client(raise_request_exception=False)
    client.session_saved = request.param.startswith("after")
    yield client
    _answers_to_lose.clear()


def test_a_partner_sending_again_after_a_lost_answer_gets_the_first_reference(lossy_client):
    _, plaintext = issue_token(scopes=["referrals:submit"])

    def send():
        return lossy_client.post("/api/v1/referrals", json.dumps(referral_body()),
                                 content_type="application/json", HTTP_IDEMPOTENCY_KEY="partner-case-77",
                                 **bearer(plaintext))

    _answers_to_lose.append(True)
    lost = send()
    assert lost.status_code == 500
    stored = Referral.objects.get()
    again = send()
    assert again.status_code == 200
    assert again.json()["reference"] == stored.reference
    assert Referral.objects.count() == 1


def test_a_member_of_the_public_submitting_again_after_a_lost_answer_sees_the_first_reference(lossy_client):
    fill(lossy_client, "concern", PUBLIC_ANSWERS)
    draft_id = session_draft(lossy_client, "concern").pk
    _answers_to_lose.append(True)
    lost = submit(lossy_client, "concern", draft_id)
    assert lost.status_code == 500
    stored = Referral.objects.get()
    assert not ReferralDraft.objects.exists()
    state = lossy_client.session["intake"]
    if lossy_client.session_saved:
        assert state["submitted"] == {str(draft_id): stored.reference}
    else:
        assert state["drafts"]["concern"] == str(draft_id) and not state.get("submitted")
    # The browser sends the same form again (a refresh, or the back button and submit).
    again = submit(lossy_client, "concern", draft_id)
    assert again.status_code == 302
    assert again["Location"] == reverse("intake:concern-submitted")
    assert stored.reference in lossy_client.get(again["Location"]).content.decode()
    assert Referral.objects.count() == 1
