"""Test data for the partner API. Everything here is fictional."""

import factory

from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.api.models import PREFIX_LENGTH, TOKEN_START, ApiScope, ApiToken, token_hash
from prevent_hub.audit.context import acting_as

ALL_SCOPES = tuple(ApiScope.values)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token row. Its `plaintext` (the token a client sends) is set on the
    instance for the test to use; only its hash is stored."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Test partner system"
    scopes = factory.LazyFunction(lambda: list(ALL_SCOPES))
    plaintext = factory.Sequence(lambda n: f"{TOKEN_START}test-token-{n:06d}-fictional")
    prefix = factory.LazyAttribute(lambda token: token.plaintext[:PREFIX_LENGTH])
    token_hash = factory.LazyAttribute(lambda token: token_hash(token.plaintext))

    @classmethod
    def _create(cls, model_class, *args, plaintext, **kwargs):
        token = super()._create(model_class, *args, **kwargs)
        token.plaintext = plaintext
        return token


def issue_token(*, roles=(), scopes=ALL_SCOPES, user=None, **user_fields):
    """A token issued the real way (services.api_token_issue) → (row, token)."""
    from prevent_hub.api.services import api_token_issue

    user = user or UserFactory(roles=roles, **user_fields)
    with acting_as(None):
        return api_token_issue(user=user, scopes=scopes, name="Test partner system")


def bearer(token) -> dict:
    """Headers for Django's test client."""
    plaintext = token if isinstance(token, str) else token.plaintext
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def referral_body(**sections) -> dict:
    """A complete, valid, fictional referral body; override whole sections."""
    body = {
        "referrer": {
            "name": "Test Referrer", "role": "Designated safeguarding lead",
            "organisation": "Shireford Test Academy", "email": "referrer@test.shireford.example",
            "phone": "01632 960000", "relationship_to_person": "Teacher",
        },
        "safeguarding_lead": {"consulted": "yes", "name": "Test Lead",
                              "contact": "dsl@test.shireford.example"},
        "person": {
            "given_name": "Testperson", "family_name": "Example", "other_names": ["Tee"],
            "date_of_birth": "2010-04-01", "gender": "Not stated",
            "address": "1 Fictional Street, Shireford", "postcode": "zz99 1zz",
            "school_or_employer": "Shireford Test Academy", "language": "English",
            "interpreter_needed": "no", "nationality": "British",
        },
        "parent_or_carer": {"name": "Test Carer", "relationship": "Parent", "phone": "01632 960001",
                            "address": "1 Fictional Street, Shireford"},
        "awareness": {"person_knows": "no", "family_knows": "unknown"},
        "concern": {
            "description": "Fictional test concern: no real person is described here.",
            "when": "Last week", "how_it_came_to_notice": "Said in class (fictional).",
            "prompts": ["online_activity"],
        },
        "complex_needs": {"special_educational_needs": "unknown", "mental_health": "unknown",
                          "neurodiversity": "unknown", "details": ""},
        "other_agencies": "None known",
    }
    body.update(sections)
    return body
