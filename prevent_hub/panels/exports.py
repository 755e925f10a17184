"""A meeting's actions as a spreadsheet (CSV), for the chair to chase them:
the actions the panel set on its items (ItemAction → Channel plan action).

A reader gets the rows they could read on the pages: only items whose case
they may see (a withheld item gives no row, so not even how many actions it
has), and of those only the actions they may see on the case (pack.Reader:
everyone's, or their own).
"""

import datetime

from django.db.models import Q
from django.utils.text import slugify

from prevent_hub.core.overdue import with_overdue

from .models import ItemAction
from .pack import Reader
from .selectors import meeting_items

HEADER = ("Item", "Case reference", "Action", "Owner", "Organisation", "Due date", "Status", "Done on")


def overdue(today: datetime.date) -> Q:
    """An action is overdue when it is not done and its due date has passed,
    as the owner's task list counts it (channel.trays, "Actions you own")."""
    return Q(action__done_on__isnull=True, action__due_date__lt=today)


def meeting_actions(*, meeting, user, today: datetime.date) -> list[ItemAction]:
    """The panel's actions on the items of `meeting` that `user` may see, in
    agenda order then by due date, each with `is_overdue`."""
    visible = [item.pk for item in meeting_items(meeting=meeting, user=user) if item.visible]
    links = ItemAction.objects.filter(item_id__in=visible).select_related(
        "item__case", "action__owner__organisation")
    if not Reader.of(user).sees_all_actions:
        links = links.filter(action__owner=user)
    return list(with_overdue(links, overdue(today)).order_by("item__position", "action__due_date", "pk"))


def _status(link) -> str:
    if link.action.done_on:
        return "Done"
    return "Overdue" if link.is_overdue else "Open"


def action_rows(links):
    for link in links:
        action, owner = link.action, link.action.owner
        yield (link.item.position, link.item.case.reference, action.description, owner.full_name,
               owner.organisation.name if owner.organisation_id else "", action.due_date, _status(link),
               action.done_on)


def actions_filename(meeting) -> str:
    return f"panel-actions-{slugify(meeting.panel.name)}-{meeting.date:%Y-%m-%d}.csv"
