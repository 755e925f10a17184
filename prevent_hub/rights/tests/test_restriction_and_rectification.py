"""What an accepted restriction or rectification request does."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.rights import services
from prevent_hub.rights.models import Decision, RequestKind

from .factories import request_with_person

pytestmark = pytest.mark.django_db


def restricted():
    request = request_with_person(kind=RequestKind.RESTRICTION)
    return services.rights_request_decide(request=request, decision=Decision.ACCEPTED,
                                          reasons="Fictional: the accuracy is contested",
                                          acting_user=request.logged_by)


def test_an_accepted_restriction_makes_the_records_read_only_until_lifted(staff_client):
    request = restricted()
    person = request.person
    person.refresh_from_db()
    assert person.restricted_at is not None
    assert request.reference in person.restriction_reason
    assert "can be read but not changed" in request.effects

    dpo = staff_client(Role.DATA_PROTECTION_OFFICER)
    page = dpo.get(reverse("rights:request", kwargs={"pk": request.pk}))
    lift = reverse("rights:request-restriction-lift", kwargs={"pk": request.pk})
    assert lift in page.text
    refused = dpo.post(lift, {"reason": "  "})
    assert "Enter why the restriction is being lifted" in refused.text
    person.refresh_from_db()
    assert person.restricted_at is not None

    done = dpo.post(lift, {"reason": "Accuracy checked <b>(fictional)</b>"}, follow=True)
    assert "The restriction is lifted" in done.text
    assert "Accuracy checked &lt;b&gt;(fictional)&lt;/b&gt;" in done.text
    person.refresh_from_db()
    assert person.restricted_at is None
    assert lift not in done.text
    again = dpo.post(lift, {"reason": "Twice"})
    assert "There is no restriction from this request to lift" in again.text


def test_a_refused_or_partly_accepted_restriction_restricts_nothing():
    for decision in (Decision.REFUSED, Decision.PARTLY_ACCEPTED):
        request = request_with_person(kind=RequestKind.RESTRICTION)
        services.rights_request_decide(request=request, decision=decision, reasons="Fictional",
                                       acting_user=request.logged_by)
        request.person.refresh_from_db()
        assert request.person.restricted_at is None


def test_a_restriction_of_another_kind_of_request_cannot_be_lifted():
    request = request_with_person(kind=RequestKind.RECTIFICATION)
    decided = services.rights_request_decide(request=request, decision=Decision.ACCEPTED,
                                             reasons="Fictional: the date of birth is wrong",
                                             acting_user=request.logged_by)
    assert "Ask a Prevent coordinator to make the correction" in decided.effects
    with pytest.raises(ValidationError, match="no restriction"):
        services.restriction_lift(request=decided, reason="Fictional", acting_user=request.logged_by)


def test_only_the_data_protection_officer_lifts_a_restriction(staff_client):
    request = restricted()
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    response = coordinator.post(reverse("rights:request-restriction-lift", kwargs={"pk": request.pk}),
                                {"reason": "Fictional"})
    assert response.status_code in (403, 404)
    request.person.refresh_from_db()
    assert request.person.restricted_at is not None
