"""Administration screens for the 'Get help' routing rules: list, change, add.
Every change is audited and shows on the public result page at once."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.directory.models import Contact, RoutingRule
from prevent_hub.public.tests.get_help import RESULT, about_person, walk

from .helpers import HOSTILE, assert_escaped, banner_text, error_summary, input_value

LIST = reverse("administration:routing-rules")
CREATE = reverse("administration:routing-rule-create")


def edit_url(key):
    return reverse("administration:routing-rule-edit", args=[RoutingRule.objects.get(key=key).pk])


def pk_of(key):
    return Contact.objects.get(key=key).pk


def form_data(rule=None, **changes):
    data = {"title": "", "advice": "", "offer": "", "position": "", "is_active": "true"}
    if rule is not None:
        data.update({"title": rule.title, "advice": rule.advice, "offer": rule.offer,
                     "position": rule.position, "is_active": "true" if rule.is_active else ""})
        for field in ("when_danger", "when_online", "when_who", "when_age"):
            data[field] = list(getattr(rule, field))
        for number, link in enumerate(rule.rule_contacts.order_by("position"), start=1):
            data[f"contact_{number}"] = link.contact_id
    data.update(changes)
    return {name: value for name, value in data.items() if value not in ("", None, [])}


def rows(response):
    soup = BeautifulSoup(response.content, "html5lib")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td, th")]
            for row in soup.select("tbody tr")]


def checked_values(response, name):
    soup = BeautifulSoup(response.content, "html5lib")
    return [box["value"] for box in soup.select(f'input[name="{name}"][checked]')]


def public_result(steps):
    client = Client()
    walk(client, *steps)
    return client.get(RESULT).content.decode()


def test_the_administration_index_links_to_routing_rules(admin_client):
    html = admin_client.get(reverse("administration:index")).content.decode()
    assert f'href="{LIST}"' in html


def test_list_shows_every_rule_in_order_with_who_sees_it(admin_client):
    RoutingRule.objects.filter(key="child-nspcc").update(is_active=False)
    response = admin_client.get(LIST)
    table = rows(response)
    assert len(table) == RoutingRule.objects.count()
    assert [row[1].split(" Offers:")[0].removesuffix(" Not used") for row in table][:2] == [
        "Call 999 now", "Report the material online"]
    first = table[0]
    assert first[0] == "10"
    assert first[2] == "Is anyone in immediate danger? Yes"
    assert first[3] == "Emergency services"
    teacher = next(row for row in table if row[1].startswith("Talk to your safeguarding lead"))
    assert "Offers: Prevent referral form" in teacher[1]
    assert "Who is asking? Professional or volunteer" in teacher[2]
    nspcc = next(row for row in table if row[1].startswith("Advice for parents"))
    assert "Not used" in nspcc[1]
    assert "Is it about a child or an adult? Child or young person under 18" in nspcc[2]


def test_edit_shows_the_rule_as_it_is(admin_client):
    response = admin_client.get(edit_url("child-childrens-duty"))
    assert response.status_code == 200
    assert input_value(response, "title") == "Tell the council's children's team"
    assert checked_values(response, "when_who") == ["family-or-friend", "member-of-public"]
    assert checked_values(response, "when_age") == ["child", "not-sure"]
    assert checked_values(response, "offer") == ["concern"]
    soup = BeautifulSoup(response.content, "html5lib")
    selected = [soup.select_one(f'select[name="contact_{n}"] option[selected]') for n in (1, 2, 3)]
    assert selected[0]["value"] == str(pk_of("childrens-duty"))
    assert selected[1]["value"] == str(pk_of("emergency-duty-team"))
    assert selected[2]["value"] == ""


def test_changing_a_rule_is_audited_and_shows_on_the_public_page_at_once(admin_client):
    rule = RoutingRule.objects.get(key="family-act-early")
    response = admin_client.post(edit_url("family-act-early"), form_data(
        rule, advice="Call them any time.\nThey listen.", when_age=["adult"],
        contact_1=pk_of("nspcc-helpline"), contact_2=pk_of("act-early")))
    assert response.status_code == 302 and response["Location"] == LIST
    assert "Rule saved: Talk to ACT Early in confidence" in banner_text(admin_client.get(LIST))
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="directory.routingrule")
    assert sorted(event.changed_fields) == ["advice", "contacts", "when_age"]
    assert event.actor == admin_client.user

    adult = public_result(about_person("family-or-friend", "adult"))
    assert "Call them any time." in adult and "They listen." in adult
    assert adult.index("NSPCC helpline") < adult.index("ACT Early support line")
    child = public_result(about_person("family-or-friend", "child"))
    assert "Talk to ACT Early in confidence" not in child


def test_switching_a_rule_off(admin_client):
    rule = RoutingRule.objects.get(key="child-nspcc")
    admin_client.post(edit_url("child-nspcc"), form_data(rule, is_active=""))
    assert not RoutingRule.objects.get(key="child-nspcc").is_active
    assert "Advice for parents and carers" not in public_result(about_person("family-or-friend", "child"))


def test_add_a_rule(admin_client):
    page = admin_client.get(CREATE)
    assert input_value(page, "position") == "110"  # after the last rule
    response = admin_client.post(CREATE, form_data(
        title="Talk to your GP", advice="Your doctor can help.", position="65",
        when_danger=["no"], when_who=["family-or-friend"], contact_1=pk_of("prevent-team"),
        offer="concern"))
    assert response.status_code == 302 and response["Location"] == LIST
    rule = RoutingRule.objects.get(title="Talk to your GP")
    assert rule.key == "talk-to-your-gp" and rule.position == 65 and rule.is_active
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(rule.pk)).exists()
    html = public_result(about_person("family-or-friend", "adult"))
    assert html.index("Talk to ACT Early") < html.index("Talk to your GP") < html.index(
        "Tell Adult Social Care")


def test_errors_keep_what_was_typed(admin_client):
    response = admin_client.post(CREATE, form_data(
        title="", advice="Typed advice", position="soon", when_who=["professional"],
        contact_1=pk_of("act-early"), contact_2=pk_of("act-early")))
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter a heading",
        "Position must be a whole number, like 45",
        "ACT Early support line is already listed: choose a different contact",
    ]
    assert input_value(response, "advice") == "Typed advice"
    assert input_value(response, "position") == "soon"
    assert checked_values(response, "when_who") == ["professional"]
    assert not RoutingRule.objects.filter(advice="Typed advice").exists()
    assert response.content.decode().count("<title>Error: ") == 1


def test_a_danger_rule_cannot_depend_on_later_questions(admin_client):
    rule = RoutingRule.objects.get(key="call-999")
    response = admin_client.post(edit_url("call-999"), form_data(rule, when_who=["professional"]))
    assert error_summary(response) == [
        "Someone who says a person is in immediate danger is not asked anything else: leave the "
        "other questions unticked"]
    assert RoutingRule.objects.get(key="call-999").when_who == []


def test_unknown_rule_is_a_404(admin_client):
    assert admin_client.get(
        reverse("administration:routing-rule-edit", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [Role.PREVENT_COORDINATOR, Role.AUDITOR])
def test_other_roles_cannot_change_rules(staff_client, role):
    client = staff_client(role)
    assert client.get(LIST).status_code == 403
    rule = RoutingRule.objects.get(key="call-999")
    assert client.post(edit_url("call-999"), form_data(rule, title="Changed")).status_code == 403
    assert RoutingRule.objects.get(key="call-999").title == "Call 999 now"


def test_hostile_text_is_escaped_in_admin_and_public_pages(admin_client):
    rule = RoutingRule.objects.get(key="call-999")
    response = admin_client.post(edit_url("call-999"), form_data(rule, title=HOSTILE, advice=HOSTILE))
    assert response.status_code == 302
    assert_escaped(admin_client.get(LIST).content.decode())
    assert_escaped(admin_client.get(edit_url("call-999")).content.decode())
    client = Client()
    walk(client, ("immediate-danger", "yes"))
    assert_escaped(client.get(RESULT).content.decode())
