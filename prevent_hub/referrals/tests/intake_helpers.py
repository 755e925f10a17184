"""Answers that fill in the intake forms, page by page, through the test client."""

from django.urls import reverse

from prevent_hub.referrals.models import ReferralDraft

PRACTITIONER_ANSWERS = {
    "about-you": {
        "referrer_name": "Testy McTestface", "referrer_role": "Head of year",
        "referrer_organisation": "Shireford Test Academy",
        "referrer_email": "testy@test.shireford.example", "referrer_phone": "01632 960 001",
        "referrer_relationship": "Their teacher",
    },
    "safeguarding-lead": {"dsl_consulted": "yes", "dsl_name": "Dee Esel", "dsl_contact": "dsl@test.example"},
    "the-person": {
        "subject_given_name": "Fictional", "subject_family_name": "Pupil",
        "subject_date_of_birth-day": "1", "subject_date_of_birth-month": "9",
        "subject_date_of_birth-year": "2011", "subject_postcode": "zz99 1zz",
        "subject_interpreter_needed": "no",
    },
    "parent-or-carer": {"carer_name": "Made-up Parent", "carer_relationship": "Mother"},
    "who-knows": {"subject_aware": "no", "family_aware": "unknown"},
    "the-concern": {
        "concern_description": "Fictional: shared a made-up video in class.\nSecond line.",
        "concern_when": "Last Tuesday", "concern_prompts": ["online_activity", "threats"],
    },
    "needs": {"special_educational_needs": "unknown"},
    "other-agencies": {"other_agencies": "None known"},
}

PUBLIC_ANSWERS = {
    "about-you": {"referrer_name": "Pat Neighbour", "referrer_email": "pat@test.shireford.example"},
    "the-person": {"subject_description": "The man at number 4 (fictional)", "subject_approximate_age": "40"},
    "what-worries-you": {"concern_description": "Fictional worry for a test."},
    "who-knows": {"subject_aware": "no", "family_aware": "no"},
}


def page_url(prefix, page, **query):
    url = reverse(f"intake:{prefix}-page", kwargs={"page": page})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post_page(client, prefix, page, answers=None, *, action="continue", **extra):
    data = {**(answers or {}), "action": action, **extra}
    return client.post(page_url(prefix, page), data)


def fill(client, prefix, answers, *, until=None):
    """Answer each page in order (stopping before `until`). Returns the last response."""
    response = None
    for page, page_answers in answers.items():
        if page == until:
            break
        response = post_page(client, prefix, page, page_answers)
        assert response.status_code == 302, (page, response.content.decode()[:3000])
    return response


def fill_practitioner(client, *, until=None):
    response = fill(client, "referral", PRACTITIONER_ANSWERS, until=until)
    if until is None:
        response = post_page(client, "referral", "attachments")
        assert response.status_code == 302
    return response


def session_draft(client, prefix="referral") -> ReferralDraft:
    draft_id = client.session["intake"]["drafts"][prefix]
    return ReferralDraft.objects.get(pk=draft_id)


def submit(client, prefix="referral", draft_id=None):
    draft_id = draft_id or client.session["intake"]["drafts"][prefix]
    return client.post(reverse(f"intake:{prefix}-check"), {"draft": str(draft_id)})
