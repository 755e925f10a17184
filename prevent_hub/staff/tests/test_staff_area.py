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


def test_signed_in_user_sees_staff_home(staff_client):
    client = staff_client(full_name="Alex Test")
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Alex Test" in response.content.decode()


def test_home_lists_only_what_the_roles_allow(staff_client):
    from prevent_hub.access.roles import Role

    html = staff_client(Role.AUDITOR).get("/staff/").content.decode()
    assert "Audit trail" in html
    assert "Administration" not in html
    assert "Auditor" in html


def test_a_user_without_roles_is_told_why_there_is_nothing_to_see(staff_client):
    html = staff_client().get("/staff/").content.decode()
    assert "has no roles yet" in html
    assert "Audit trail" not in html
