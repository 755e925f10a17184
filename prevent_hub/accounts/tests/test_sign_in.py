import pytest
from django.urls import reverse

PASSWORD = "correct horse battery"  # noqa: S105


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        "sam@demo.shireford.example", PASSWORD, full_name="Sam Demo-Officer"
    )


@pytest.mark.django_db
def test_sign_in_with_email_and_password_then_return_to_the_page_asked_for(client, user):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "SAM@demo.shireford.example", "password": PASSWORD, "next": "/staff/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_keeps_the_email(client, user):
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "sam@demo.shireford.example", "password": "not the password"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a correct email address and password" in html
    assert 'value="sam@demo.shireford.example"' in html
    assert "not the password" not in html
    assert response.context["form"].errors
    assert "<title>Error:" in html


@pytest.mark.django_db
def test_deactivated_account_cannot_sign_in(client, user):
    user.is_active = False
    user.save()
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "sam@demo.shireford.example", "password": PASSWORD},
    )
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_sign_out_ends_the_session(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_sign_out_by_get_is_refused(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.get("/staff/").status_code == 200
