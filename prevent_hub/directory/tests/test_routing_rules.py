"""Routing rules: how conditions match, the defaults as installed, and the
audited services that change them."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.directory import services
from prevent_hub.directory.defaults import DEFAULT_CONTACTS, DEFAULT_ROUTING_RULES
from prevent_hub.directory.models import CONDITIONS, Contact, Offer, RoutingRule
from prevent_hub.directory.selectors import routes_for, routing_rule_contacts, routing_rule_list

CONDITION_FIELDS = [field for field, *_ in CONDITIONS]


@pytest.fixture
def admin(db):
    return UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])


def contacts(*keys):
    return [Contact.objects.get(key=key) for key in keys]


def contact_keys(rule):
    return list(rule.rule_contacts.order_by("position").values_list("contact__key", flat=True))


# Matching --------------------------------------------------------------------


@pytest.mark.parametrize(("conditions", "answers", "expected"), [
    ({}, {}, True),
    ({}, {"danger": "yes"}, True),
    ({"when_danger": ["no"]}, {"danger": "no", "online": "yes"}, True),
    ({"when_danger": ["no"]}, {"danger": "yes"}, False),
    # A question that was not asked only matches "any answer".
    ({"when_who": ["professional"]}, {"danger": "no", "online": "yes"}, False),
    ({"when_age": ["child", "not-sure"]}, {"age": "not-sure"}, True),
    ({"when_age": ["child", "not-sure"]}, {"age": "adult"}, False),
    ({"when_who": ["professional"], "when_age": ["adult"]}, {"who": "professional", "age": "child"},
     False),
])
def test_a_rule_matches_when_every_condition_accepts_the_answer(conditions, answers, expected):
    assert RoutingRule(**conditions).matches(answers) is expected


@pytest.mark.parametrize("conditions", [
    {"when_danger": ["perhaps"]},
    {"when_who": "professional"},
    {"when_age": ["child", "child"]},
])
def test_a_rule_only_accepts_real_answers(conditions):
    rule = RoutingRule(key="k", title="T", advice="A", **conditions)
    with pytest.raises(ValidationError) as caught:
        rule.clean()
    assert set(caught.value.message_dict) == set(conditions)


# Defaults ----------------------------------------------------------------------


def test_default_rules_are_well_formed():
    keys = [rule["key"] for rule in DEFAULT_ROUTING_RULES]
    assert len(keys) == len(set(keys))
    positions = [rule["position"] for rule in DEFAULT_ROUTING_RULES]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    contact_keys = {contact["key"] for contact in DEFAULT_CONTACTS}
    for rule in DEFAULT_ROUTING_RULES:
        assert rule["contacts"] and set(rule["contacts"]) <= contact_keys, rule["key"]
        assert rule.get("offer", "") in Offer.values


@pytest.mark.django_db
@pytest.mark.parametrize("entry", DEFAULT_ROUTING_RULES, ids=lambda entry: entry["key"])
def test_the_migration_installs_each_default_rule(entry):
    rule = RoutingRule.objects.get(key=entry["key"])
    assert (rule.title, rule.advice, rule.position, rule.offer, rule.is_active) == (
        entry["title"], entry["advice"], entry["position"], entry.get("offer", ""), True)
    for field in CONDITION_FIELDS:
        assert getattr(rule, field) == entry.get(field, []), field
    assert contact_keys(rule) == entry["contacts"]
    rule.full_clean()


@pytest.mark.django_db
def test_only_the_default_rules_are_installed():
    assert RoutingRule.objects.count() == len(DEFAULT_ROUTING_RULES)


@pytest.mark.django_db
def test_running_the_migration_again_never_overwrites_an_edit():
    migration = importlib.import_module("prevent_hub.directory.migrations.0005_default_routing_rules")
    RoutingRule.objects.filter(key="call-999").update(title="Edited by an admin", is_active=False)
    RoutingRule.objects.filter(key="child-nspcc").delete()

    migration.load_rules(apps, schema_editor=None)

    edited = RoutingRule.objects.get(key="call-999")
    assert (edited.title, edited.is_active) == ("Edited by an admin", False)
    assert edited.rule_contacts.count() == 1
    restored = RoutingRule.objects.get(key="child-nspcc")
    assert list(restored.contacts.values_list("key", flat=True)) == ["nspcc-helpline"]
    assert RoutingRule.objects.count() == len(DEFAULT_ROUTING_RULES)


# Routes ------------------------------------------------------------------------


@pytest.mark.django_db
def test_routes_show_each_contact_once_and_each_form_once(django_assert_num_queries):
    with django_assert_num_queries(2):
        routes = routes_for({"danger": "no", "online": "no", "who": "family-or-friend",
                             "age": "not-sure"})
    assert [section.rule.key for section in routes.sections] == [
        "family-act-early", "child-childrens-duty", "adult-social-care"]
    adult = routes.sections[2]
    assert [contact.key for contact in adult.contacts] == ["adult-social-care"]
    assert [contact.key for contact in adult.shown_above] == ["emergency-duty-team"]
    assert routes.offers == [Offer.CONCERN]
    assert routes.offers_concern_form and not routes.offers_referral_form


@pytest.mark.django_db
def test_routes_follow_positions():
    RoutingRule.objects.filter(key="child-nspcc").update(position=1)
    routes = routes_for({"danger": "no", "online": "no", "who": "family-or-friend", "age": "child"})
    assert [section.rule.key for section in routes.sections][0] == "child-nspcc"


@pytest.mark.django_db
def test_advice_is_split_into_paragraphs():
    routes = routes_for({"danger": "yes"})
    assert len(routes.sections[0].paragraphs) == 2


# Services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_a_rule_is_audited_with_field_names_only(admin):
    rule = services.routing_rule_create(
        acting_user=admin, title="Talk to your GP", advice="Your GP can help.",
        when_age=["adult", "child"], contacts=contacts("prevent-team", "act-early"), position=55,
        offer=Offer.CONCERN, is_active=True,
    )
    assert rule.key == "talk-to-your-gp"
    assert rule.when_age == ["child", "adult"]  # the order the question lists them
    assert [c.key for c in routing_rule_contacts(routing_rule_list().get(pk=rule.pk))] == [
        "prevent-team", "act-early"]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="directory.routingrule")
    assert event.object_id == str(rule.pk) and event.actor == admin
    assert "contacts" in event.changed_fields and "advice" in event.changed_fields
    assert "Your GP can help." not in str(event.details)


@pytest.mark.django_db
def test_a_second_rule_with_the_same_title_gets_its_own_key(admin):
    first = services.routing_rule_create(acting_user=admin, title="Call 999 now", advice="A.")
    assert first.key == "call-999-now"
    second = services.routing_rule_create(acting_user=admin, title="Call 999 now", advice="B.")
    assert second.key == "call-999-now-2"


@pytest.mark.django_db
def test_update_records_what_changed(admin):
    rule = RoutingRule.objects.get(key="family-act-early")
    services.routing_rule_update(
        acting_user=admin, rule=rule, title=rule.title, advice="New advice.",
        when_who=["member-of-public", "family-or-friend"],
        contacts=contacts("act-early", "nspcc-helpline"),
    )
    rule.refresh_from_db()
    assert rule.advice == "New advice." and rule.when_who == ["family-or-friend", "member-of-public"]
    assert contact_keys(rule) == ["act-early", "nspcc-helpline"]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="directory.routingrule")
    assert sorted(event.changed_fields) == ["advice", "contacts", "when_who"]


@pytest.mark.django_db
def test_an_update_that_changes_nothing_records_nothing(admin):
    rule = RoutingRule.objects.get(key="family-act-early")
    services.routing_rule_update(
        acting_user=admin, rule=rule, title=rule.title, when_who=list(rule.when_who),
        contacts=contacts("act-early"),
    )
    assert not AuditEvent.objects.filter(object_type="directory.routingrule").exists()


@pytest.mark.django_db
def test_reordering_contacts_is_a_change(admin):
    rule = RoutingRule.objects.get(key="child-childrens-duty")
    services.routing_rule_update(
        acting_user=admin, rule=rule, contacts=contacts("emergency-duty-team", "childrens-duty"))
    assert [c.key for c in routing_rule_contacts(routing_rule_list().get(pk=rule.pk))] == [
        "emergency-duty-team", "childrens-duty"]
    assert AuditEvent.objects.get(object_type="directory.routingrule").changed_fields == ["contacts"]


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [
    {"when_danger": ["maybe"]},
    {"contacts": "twice"},
    {"title": ""},
])
def test_bad_changes_are_refused_and_nothing_is_saved(admin, changes):
    rule = RoutingRule.objects.get(key="family-act-early")
    if changes.get("contacts") == "twice":
        changes = {"contacts": contacts("act-early", "act-early")}
    with pytest.raises(ValidationError):
        services.routing_rule_update(acting_user=admin, rule=rule, **changes)
    rule.refresh_from_db()
    assert rule.title == "Talk to ACT Early in confidence"
    assert rule.rule_contacts.count() == 1
    assert not AuditEvent.objects.filter(object_type="directory.routingrule").exists()


@pytest.mark.django_db
def test_only_rule_fields_can_be_changed():
    with pytest.raises(ValueError, match="key"):
        services.routing_rule_update(acting_user=None, rule=RoutingRule(), key="other")
