"""Reading person records, always through the access rules."""

from prevent_hub.access import scope
from prevent_hub.channel.models import ChannelCase
from prevent_hub.referrals.models import MatchDecision, Referral

from .models import Person, PersonName


def person_get(*, user, pk) -> Person | None:
    """The person if `user` may see them, else None (so a person someone may
    not see looks the same as one who does not exist)."""
    return (
        scope(user, Person.objects.all())
        .filter(pk=pk)
        .prefetch_related("names")
        .first()
    )


def person_other_names(person: Person) -> list[PersonName]:
    return [name for name in person.names.all() if name.kind == PersonName.Kind.OTHER]


def person_referrals(*, user, person: Person) -> list[Referral]:
    """Every referral about the person that `user` may see, oldest first."""
    return list(
        scope(user, Referral.objects.all())
        .filter(person=person)
        .select_related("channel_case")
        .order_by("received_at", "pk")
    )


def person_channel_cases(*, user, person: Person) -> list[ChannelCase]:
    return list(
        scope(user, ChannelCase.objects.all())
        .filter(person=person)
        .select_related("referral")
        .order_by("opened_at", "pk")
    )


def match_decisions_for(*, referral: Referral) -> dict[int, MatchDecision]:
    """The coordinators' answers about this referral's candidates, by person id.
    Shown only on the identify page, to people who may match (coordinators)."""
    return {
        decision.person_id: decision
        for decision in MatchDecision.objects.filter(referral=referral).select_related("decided_by")
    }
