import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/staff/", "/staff/anything/at/all", "/staff/django-admin/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path, follow=True)
    final_url, _status = response.redirect_chain[-1]
    assert final_url.startswith(reverse("accounts:sign-in"))
    assert "next=" in final_url
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


@pytest.mark.django_db
def test_signed_in_user_sees_staff_home(client, django_user_model):
    user = django_user_model.objects.create_user(
        "alex@demo.shireford.example", "a-long-enough-password", full_name="Alex Demo"
    )
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Alex Demo" in response.content.decode()
