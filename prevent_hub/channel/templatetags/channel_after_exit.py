"""`{% cases_after_exit_banner referral %}`: on a referral's page, the exited
Channel cases it was linked to when its person was identified (those the
signed-in user may see). A tag, so the referral page needs nothing from
Channel's code (Channel builds on referrals, not the other way round)."""

from django import template

from ..reviews import cases_linked_after_exit

register = template.Library()


@register.inclusion_tag("channel/includes/after_exit_banner.html", takes_context=True)
def cases_after_exit_banner(context, referral):
    if referral.person_id is None:
        return {"cases": []}
    return {"cases": cases_linked_after_exit(user=context["request"].user, referral=referral)}
