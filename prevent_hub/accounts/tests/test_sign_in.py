import pytest
from django.urls import reverse

from conftest import sign_in
from prevent_hub.accounts.tests.factories import TEST_PASSWORD as PASSWORD
from prevent_hub.accounts.tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory(email="sam@test.shireford.example", full_name="Sam Test-Officer")


@pytest.mark.django_db
def test_sign_in_with_email_and_password_then_return_to_the_page_asked_for(client, user):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "SAM@test.shireford.example", "password": PASSWORD, "next": "/staff/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    # A password alone is not enough: the staff area asks for the second factor.
    second = client.get("/staff/")
    assert second.status_code == 302
    assert second["Location"].startswith(reverse("accounts:second-factor-setup"))


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_keeps_the_email(client, user):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "sam@test.shireford.example", "password": "not the password"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a correct email address and password" in html
    assert 'value="sam@test.shireford.example"' in html
    assert "not the password" not in html
    assert response.context["form"].errors
    assert "<title>Error:" in html


@pytest.mark.django_db
def test_deactivated_account_cannot_sign_in(client, user):
    user.is_active = False
    user.save()
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "sam@test.shireford.example", "password": PASSWORD},
    )
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_sign_out_ends_the_session(client, user):
    sign_in(client, user)
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_sign_out_by_get_is_refused(client, user):
    sign_in(client, user)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize(("data", "messages"), [
    ({"username": "", "password": ""}, ["Enter your email address", "Enter your password"]),
    ({"username": "sam@test.shireford.example", "password": ""}, ["Enter your password"]),
    ({"username": "not an address", "password": "x"},
     ["Enter an email address in the correct format, like name@example.org"]),
])
def test_each_missing_or_wrong_field_is_named_once(client, db, data, messages):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.post(reverse("accounts:sign-in"), data).content, "html5lib")
    assert [item.get_text(" ", strip=True) for item in soup.select(".govuk-error-summary li")] == messages
    shown = [message.get_text(" ", strip=True).removeprefix("Error: ")
             for message in soup.select(".govuk-error-message")]
    assert shown == messages  # beside each field too, once
