"""Channel's part in what happens to referrals and people: the apps below it
send signals inside their own transactions, and these receivers do Channel's
share of the work in the same transaction (so both happen or neither)."""

from django.dispatch import receiver

from prevent_hub.core.formatting import govuk_date
from prevent_hub.people.models import Person
from prevent_hub.people.signals import person_merge_undone, person_merged, referral_linked
from prevent_hub.referrals.models import GatewayOutcome, Referral
from prevent_hub.referrals.signals import gateway_outcome_recorded

from .chronology import chronology_record
from .models import ChronologyKind
from .reviews import referral_after_exit_link
from .services import case_open_from_referral, cases_person_move

# Referrals -----------------------------------------------------------------------


@receiver(gateway_outcome_recorded, sender=Referral, dispatch_uid="channel-opens-case-on-gateway-outcome")
def case_open_on_proceed_to_channel(sender, *, referral, acting_user, **kwargs):
    if referral.gateway_outcome == GatewayOutcome.PROCEED_TO_CHANNEL:
        case_open_from_referral(referral=referral, acting_user=acting_user)


# People --------------------------------------------------------------------------


@receiver(referral_linked, sender=Person, dispatch_uid="channel-referral-on-person-timeline")
def referral_on_person_timeline(sender, *, referral, person, acting_user, linked_at, **kwargs):
    """The referral on the person's timeline from when it is linked to them;
    about someone whose Channel case has exited, it is linked to that case."""
    chronology_record(
        person_id=person.pk, kind=ChronologyKind.REFERRAL, obj=referral, recorded_by=acting_user,
        occurred_at=linked_at,
        summary=f"Referral {referral.reference} received {govuk_date(referral.received_at)} linked",
    )
    referral_after_exit_link(referral=referral, person=person, acting_user=acting_user)


@receiver(person_merged, sender=Person, dispatch_uid="channel-cases-follow-a-merge")
def cases_follow_a_merge(sender, *, kept, merged, acting_user, **kwargs):
    return cases_person_move(from_person_id=merged.pk, to_person_id=kept.pk, acting_user=acting_user)


@receiver(person_merge_undone, sender=Person, dispatch_uid="channel-cases-follow-a-merge-undone")
def cases_follow_a_merge_undone(sender, *, kept, merged, moved, acting_user, **kwargs):
    cases_person_move(from_person_id=kept.pk, to_person_id=merged.pk, case_ids=moved.get("cases", []),
                      entry_ids=moved.get("chronology", []), acting_user=acting_user)
