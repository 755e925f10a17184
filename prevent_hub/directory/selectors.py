from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import Contact, Offer, RoutingRule, RoutingRuleContact


def contacts_by_key() -> dict[str, Contact]:
    """Every active contact, keyed, in one query."""
    return {contact.key: contact for contact in Contact.objects.filter(is_active=True)}


# Routing rules -------------------------------------------------------------
# Rules and contacts hold no personal data, so they are not scoped or audited.


def _with_contacts(rules, *, active_contacts_only):
    links = RoutingRuleContact.objects.select_related("contact").order_by("position")
    if active_contacts_only:
        links = links.filter(contact__is_active=True)
    return rules.prefetch_related(Prefetch("rule_contacts", queryset=links))


def routing_rule_list():
    """Every rule, switched off ones included, in the order they are shown, with contacts."""
    return _with_contacts(RoutingRule.objects.order_by("position", "pk"), active_contacts_only=False)


def routing_rule_get(*, pk) -> RoutingRule:
    return _with_contacts(RoutingRule.objects.all(), active_contacts_only=False).get(pk=pk)


def routing_rule_contacts(rule: RoutingRule) -> list[Contact]:
    """A rule's contacts in order (uses the prefetched links)."""
    return [link.contact for link in rule.rule_contacts.all()]


@dataclass
class RouteSection:
    """One matching rule: its advice, the contacts shown for the first time under
    it, and those already shown under an earlier rule."""

    rule: RoutingRule
    contacts: list[Contact] = field(default_factory=list)
    shown_above: list[Contact] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        """The advice, one paragraph per line."""
        return [line.strip() for line in self.rule.advice.splitlines() if line.strip()]


@dataclass
class Routes:
    sections: list[RouteSection]
    # Which forms to offer (Offer values), each once, in the order rules ask for them.
    offers: list[str]

    @property
    def offers_concern_form(self):
        return Offer.CONCERN in self.offers

    @property
    def offers_referral_form(self):
        return Offer.REFERRAL in self.offers


def routes_for(answers: dict[str, str], *, keys=None) -> Routes:
    """Every active rule that matches `answers` (or, given `keys`, the
    active rules with those keys), in order, each contact once.

    Two queries, however many rules there are. Contacts switched off in the
    directory are left out.
    """
    rules = _with_contacts(RoutingRule.objects.filter(is_active=True), active_contacts_only=True)
    if keys is not None:
        rules = rules.filter(key__in=list(keys))
    sections, offers, seen = [], [], set()
    for rule in rules.order_by("position", "pk"):
        if keys is None and not rule.matches(answers):
            continue
        section = RouteSection(rule=rule)
        for contact in routing_rule_contacts(rule):
            (section.shown_above if contact.pk in seen else section.contacts).append(contact)
            seen.add(contact.pk)
        sections.append(section)
        if rule.offer and rule.offer not in offers:
            offers.append(rule.offer)
    return Routes(sections=sections, offers=offers)


# Contacts that are the Prevent team itself, or its referral form: once a
# concern or referral has reached the team, they are not "others to tell".
PREVENT_TEAM_CONTACTS = frozenset({"prevent-team", "prevent-referral-form"})


def routes_also_to_tell(answers: dict[str, str]) -> Routes:
    """After a concern or referral has reached the Prevent team: the other
    routes the guided questions gave for `answers` (for a child, the
    children's duty team), for the confirmation page and email to repeat.
    None when the questions were not answered."""
    if not answers:
        return Routes(sections=[], offers=[])
    routes = routes_for(answers)
    others = [section for section in routes.sections
              if any(contact.key not in PREVENT_TEAM_CONTACTS
                     for contact in [*section.contacts, *section.shown_above])]
    return Routes(sections=others, offers=[])
