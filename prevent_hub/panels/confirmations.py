"""What a chair is asked to confirm, rather than refused: scheduling a
meeting on a day that is not a working day, and sending a notice with an
empty agenda. Both can be right (an urgent meeting, a notice that must go
out on time), so the page warns and asks; nothing is saved or sent until
the chair confirms, and what they typed stays on the form.
"""

import datetime

from django import forms

from prevent_hub.core.formatting import govuk_date
from prevent_hub.core.models import BankHoliday

CONFIRM_DAY = "confirm_day"


def day_off(day: datetime.date) -> str:
    """Why nobody is expected at work on `day` in England and Wales ("a
    Saturday", "a bank holiday (Christmas Day)"), or "" on a working day.
    Bank holidays are the administrators' data (core.BankHoliday)."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    title = BankHoliday.objects.filter(date=day).values_list("title", flat=True).first()
    return f"a bank holiday ({title})" if title else ""


def day_to_confirm(form, day: datetime.date) -> str:
    """The warning to show if `day` is not a working day and the chair has
    not yet confirmed that very date; "" to go ahead. When it warns, the
    form gains the box to tick. The box carries the date it was ticked for,
    so changing the date to another day off asks again."""
    reason = day_off(day)
    if not reason or day.isoformat() in form.data.getlist(CONFIRM_DAY):
        return ""
    form.fields[CONFIRM_DAY] = forms.MultipleChoiceField(
        label="Are you sure?", required=False,
        choices=[(day.isoformat(), f"Yes, schedule it on {govuk_date(day)}")],
        widget=forms.CheckboxSelectMultiple(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--s"}}}}))
    return (f"{govuk_date(day)} is {reason}. Panel members may not be at work: check the date, "
            "or tick the box to schedule it anyway.")


EMPTY_AGENDA = "The agenda is empty: the notice will say there is nothing to discuss yet."


class EmptyAgendaForm(forms.Form):
    """The chair's confirmation that the notice goes with an empty agenda."""

    agenda = forms.CharField(widget=forms.HiddenInput, initial="empty")


def empty_agenda_confirmed(data) -> bool:
    return data.get("agenda") == "empty"
