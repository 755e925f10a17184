"""The {% contact %} template tags, rendered the way pages render them."""

import logging

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.html import escape

from prevent_hub.directory.context_processors import contacts
from prevent_hub.directory.models import Contact

pytestmark = pytest.mark.django_db


def render(source: str) -> str:
    request = RequestFactory().get("/")
    template = Template("{% load directory %}" + source)
    return template.render(Context(contacts(request))).strip()


def test_contact_card_shows_every_detail_from_the_directory():
    html = render('{% contact "childrens-duty" heading_level=2 %}')
    contact = Contact.objects.get(key="childrens-duty")
    assert '<h2 class="govuk-heading-s' in html
    assert "First Response Children&#x27;s Duty" in html
    assert f'href="{contact.phone_href}"' in html
    assert f"mailto:{contact.email}" in html
    assert contact.hours in html


def test_contact_card_defaults_to_an_h3():
    assert "<h3" in render('{% contact "prevent-team" %}')


def test_contact_phone_is_a_tel_link():
    assert render('{% contact_phone "anti-terrorist-hotline" %}') == (
        '<a class="govuk-link" href="tel:0800789321">0800 789 321</a>'
    )


def test_contact_link_uses_its_label_or_the_given_text():
    contact = Contact.objects.get(key="lets-talk-about-it")
    assert render('{% contact_link "lets-talk-about-it" %}') == (
        f'<a class="govuk-link" href="{contact.web_address}">{escape(contact.web_label)}</a>'
    )
    assert ">Read more<" in render('{% contact_link "lets-talk-about-it" "Read more" %}')


def test_text_from_the_directory_is_escaped():
    Contact.objects.filter(key="prevent-team").update(name="<script>x</script>")
    html = render('{% contact "prevent-team" %}')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "source",
    [
        '{% contact "no-such-contact" %}',
        '{% contact_phone "no-such-contact" %}',
        '{% contact_link "no-such-contact" %}',
        '{% contact_phone "report-online-material" %}',  # has no phone
        '{% contact_link "prevent-team" %}',  # has no web address
    ],
)
def test_missing_details_render_nothing(source):
    assert render(source) == ""


def test_a_switched_off_contact_renders_nothing_and_is_logged(caplog):
    Contact.objects.filter(key="act-early").update(is_active=False)
    with caplog.at_level(logging.WARNING, logger="prevent_hub.directory.templatetags.directory"):
        assert render('{% contact "act-early" %}') == ""
    assert "act-early" in caplog.text


def test_the_directory_is_read_once_however_many_tags(django_assert_num_queries):
    with django_assert_num_queries(1):
        render(
            '{% contact "emergency" %}{% contact "act-early" %}'
            '{% contact_phone "emergency" %}{% contact_link "stacu" %}'
        )


def test_the_directory_is_not_read_if_no_tag_needs_it(django_assert_num_queries):
    with django_assert_num_queries(0):
        render("<p>No contacts here</p>")
