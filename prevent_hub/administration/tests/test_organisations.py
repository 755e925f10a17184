import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prevent_hub.accounts.models import Organisation, OrganisationType
from prevent_hub.accounts.tests.factories import OrganisationFactory, UserFactory
from prevent_hub.administration import services
from prevent_hub.audit.models import AuditAction, AuditEvent

from .helpers import HOSTILE, assert_escaped, banner_text, error_summary, input_value

LIST = reverse("administration:organisations")
CREATE = reverse("administration:organisation-create")


def test_list_shows_each_organisation_with_its_user_counts(admin_client):
    police = OrganisationFactory(name="Shireford Police", type=OrganisationType.POLICE)
    UserFactory.create_batch(3, organisation=police)
    UserFactory(organisation=police, is_active=False)
    OrganisationFactory(name="Closed Charity", type=OrganisationType.VOLUNTARY_SECTOR, is_active=False)
    response = admin_client.get(LIST)
    rows = {
        row.select_one("th").get_text(" ", strip=True): [cell.get_text(" ", strip=True)
                                                          for cell in row.select("td")]
        for row in _soup(response).select("tbody tr")
    }
    assert rows["Shireford Police"] == ["Police", "4", "3", "Active"]
    assert rows["Closed Charity"] == ["Voluntary sector", "0", "0", "Inactive"]


def test_list_reads_the_counts_in_one_query_however_many_organisations(admin_client):
    def organisation_queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(LIST).status_code == 200
        return [query["sql"] for query in captured if 'FROM "accounts_organisation"' in query["sql"]]

    OrganisationFactory.create_batch(2)
    assert len(organisation_queries()) == 1
    for organisation in OrganisationFactory.create_batch(20):
        UserFactory(organisation=organisation)
    assert len(organisation_queries()) == 1


def test_create_organisation(admin_client):
    response = admin_client.post(CREATE, {"name": "  Shireford   Academy ", "type": "education",
                                          "is_active": "true"})
    assert response.status_code == 302 and response["Location"] == LIST
    organisation = Organisation.objects.get(name="Shireford Academy")
    assert organisation.type == "education" and organisation.is_active
    assert "Organisation added: Shireford Academy" in banner_text(admin_client.get(LIST))
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="accounts.organisation")
    assert event.object_id == str(organisation.pk)


def test_create_organisation_errors_keep_what_was_typed(admin_client):
    response = admin_client.post(CREATE, {"name": "Half typed"})
    assert response.status_code == 200
    assert error_summary(response) == ["Select the type of organisation"]
    assert input_value(response, "name") == "Half typed"
    response = admin_client.post(CREATE, {"name": "", "type": "police"})
    assert error_summary(response) == ["Enter the organisation's name"]
    assert 'value="police" checked' in response.content.decode()


def test_duplicate_names_are_refused_whatever_their_case(admin_client):
    OrganisationFactory(name="Shireford Police")
    response = admin_client.post(CREATE, {"name": "SHIREFORD police", "type": "police"})
    assert response.status_code == 200
    assert error_summary(response) == ["An organisation called Shireford Police already exists"]
    assert input_value(response, "name") == "SHIREFORD police"
    assert Organisation.objects.filter(name__iexact="shireford police").count() == 1


def test_edit_organisation(admin_client):
    organisation = OrganisationFactory(name="Shireford Colege", type=OrganisationType.OTHER)
    url = reverse("administration:organisation-edit", args=[organisation.pk])
    page = admin_client.get(url)
    assert input_value(page, "name") == "Shireford Colege"
    response = admin_client.post(url, {"name": "Shireford College", "type": "education"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.type, organisation.is_active) == (
        "Shireford College", "education", False)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="accounts.organisation")
    assert set(event.changed_fields) == {"name", "type", "is_active"}


def test_renaming_to_another_organisations_name_is_refused(admin_client):
    OrganisationFactory(name="Taken Name")
    organisation = OrganisationFactory(name="Mine")
    url = reverse("administration:organisation-edit", args=[organisation.pk])
    response = admin_client.post(url, {"name": "taken name", "type": "other", "is_active": "true"})
    assert error_summary(response) == ["An organisation called Taken Name already exists"]
    assert input_value(response, "name") == "taken name"
    organisation.refresh_from_db()
    assert organisation.name == "Mine"
    # Changing only the case of its own name is fine.
    assert admin_client.post(url, {"name": "MINE", "type": "other", "is_active": "true"}).status_code == 302


def test_unknown_organisation_is_a_404(admin_client):
    assert admin_client.get(reverse("administration:organisation-edit", args=[999999])).status_code == 404


def test_hostile_organisation_names_are_escaped(admin_client):
    organisation = OrganisationFactory(name=HOSTILE)
    assert_escaped(admin_client.get(LIST).content.decode())
    assert_escaped(admin_client.get(
        reverse("administration:organisation-edit", args=[organisation.pk])).content.decode())
    response = admin_client.post(CREATE, {"name": HOSTILE + " two", "type": "other"})
    assert_escaped(admin_client.get(response["Location"]).content.decode())


# Services ----------------------------------------------------------------------


@pytest.mark.django_db
def test_services_refuse_duplicates_and_unknown_fields():
    admin = UserFactory()
    services.organisation_create(acting_user=admin, name="Alpha", type="other")
    with pytest.raises(Exception, match="already exists"):
        services.organisation_create(acting_user=admin, name="ALPHA", type="other")
    beta = services.organisation_create(acting_user=admin, name="Beta", type="other")
    with pytest.raises(ValueError, match="Cannot change"):
        services.organisation_update(acting_user=admin, organisation=beta, created_at=None)
    before = AuditEvent.objects.count()
    services.organisation_update(acting_user=admin, organisation=beta, name="Beta", type="other")
    assert AuditEvent.objects.count() == before  # no change, no event
    event = AuditEvent.objects.filter(object_type="accounts.organisation").order_by("sequence").last()
    assert event.actor == admin


def _soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html5lib")
