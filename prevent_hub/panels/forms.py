"""Forms for panel pages. They check what was typed; the services check the
rules and make the change."""

from django import forms

from prevent_hub.accounts.models import OrganisationType
from prevent_hub.channel.case_forms import owner_team_answer, owner_team_question
from prevent_hub.channel.models import NotAdoptedOutcome
from prevent_hub.govuk.forms import govuk_date_field

from .models import DecisionMethod, OutsideMeetingKind


def _text(label, *, max_length, required=True, help_text="", rows=5, message=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter the {label[:1].lower()}{label[1:]}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"},
    )


def _line(label, *, max_length, required=True, help_text="", message=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text,
        error_messages={"required": message or f"Enter the {label[:1].lower()}{label[1:]}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"})


def _user_choice(label, queryset, *, message, required=True):
    field = forms.ModelChoiceField(queryset=queryset, label=label, required=required,
                                   empty_label="Select a person",
                                   error_messages={"required": message, "invalid_choice": message})
    field.label_from_instance = lambda user: (
        f"{user.full_name} ({user.organisation.name})" if user.organisation_id else user.full_name)
    return field


def _count(label):
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"govuk": {"classes": "govuk-input--width-3"}}),
        error_messages={"invalid": f"{label} must be a number", "min_value": f"{label} must be 0 or more",
                        "max_value": f"{label} must be 100 or fewer"})


class PanelForm(forms.Form):
    name = _line("Name of the panel", max_length=200)
    area = _line("Area it serves", max_length=100, help_text="As police and partners name it.",
                 message="Enter the area the panel serves")

    def __init__(self, *args, chairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"] = _user_choice("Chair", chairs, message="Select the chair")
        deputies = forms.ModelMultipleChoiceField(
            queryset=chairs, label="Deputy chairs (optional)", required=False,
            help_text="They chair a meeting, or take a chair's decision outside one, when the chair cannot.",
            widget=forms.CheckboxSelectMultiple(attrs={"govuk": {
                "fieldset": {"legend": {"classes": "govuk-fieldset__legend--s"}}}}),
            error_messages={"invalid_choice": "Select deputy chairs from the list"})
        deputies.label_from_instance = self.fields["chair"].label_from_instance
        self.fields["deputy_chairs"] = deputies


class PanelEditForm(PanelForm):
    """A panel's details. Renaming the area renames it for its cases too."""

    is_active = forms.TypedChoiceField(
        label="Is the panel still meeting?", coerce=lambda value: value == "yes",
        choices=[("yes", "Yes"), ("no", "No: deactivate it (its meetings and minutes are kept)")],
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--s"}}}}),
        error_messages={"required": "Select whether the panel is still meeting",
                        "invalid_choice": "Select whether the panel is still meeting"})

    field_order = ["name", "area", "chair", "deputy_chairs", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].help_text = ("As police and partners name it. Renaming it keeps its cases, "
                                         "meetings and police representatives.")
        self.order_fields(self.field_order)


class MemberForm(forms.Form):
    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = _user_choice("Standing member to add", candidates,
                                           message="Select the person to add")


class MeetingForm(forms.Form):
    date = govuk_date_field("Date of the meeting")
    start_time = forms.TimeField(
        label="Start time", help_text="24-hour clock, for example 10:00 or 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TimeInput(attrs={"govuk": {"classes": "govuk-input--width-5"}}, format="%H:%M"),
        error_messages={"required": "Enter the time the meeting starts",
                        "invalid": "Enter the start time like 10:00 or 14:30"})
    location = _line("Place", max_length=300, required=False, help_text="The room and building, if it meets "
                     "in person.")
    online_link = _line("Online link", max_length=500, required=False,
                        help_text="If people can join online. Starts https://")

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"panel": forms.ModelChoiceField(
            queryset=panels, label="Panel", empty_label="Select a panel",
            error_messages={"required": "Select the panel", "invalid_choice": "Select the panel"}),
            **self.fields}


class AddCaseForm(forms.Form):
    reference = _line("Case reference", max_length=20, help_text="For example, CH-2026-000123",
                      message="Enter the reference of an open Channel case")


class InviteeForm(forms.Form):
    name = _line("Name", max_length=150, required=False)
    organisation_name = _line("Organisation", max_length=200, required=False)
    email = forms.EmailField(label="Email address", required=False, max_length=254,
                             error_messages={"invalid": "Enter an email address in the correct format, "
                                                        "like name@example.gov.uk"})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"user": _user_choice("Someone with an account", candidates, required=False,
                                            message="Select a person from the list"), **self.fields}
        self.fields["name"].help_text = ("Or, for someone without an account, their name, organisation "
                                          "and email.")


class AttendanceForm(forms.Form):
    """Tick the people expected who are present, and those who sent apologies."""

    def __init__(self, *args, expected, present_ids, apologies_ids, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(user.pk), f"{user.full_name} — {user.organisation.name}") for user in expected]
        legend = {"govuk": {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}
        self.fields["present"] = forms.MultipleChoiceField(
            label="Who is present?", required=False, choices=choices,
            initial=[str(pk) for pk in present_ids], widget=forms.CheckboxSelectMultiple(attrs=legend))
        self.fields["apologies"] = forms.MultipleChoiceField(
            label="Who sent apologies?", required=False, choices=choices,
            initial=[str(pk) for pk in apologies_ids], widget=forms.CheckboxSelectMultiple(attrs=legend))
        self.names = {str(user.pk): user.full_name for user in expected}

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("present", ())) & set(cleaned.get("apologies", ()))
        if both:
            names = ", ".join(sorted(self.names[pk] for pk in both))
            self.add_error("apologies", f"Someone cannot be present and send apologies: {names}")
        return cleaned


class OtherAttendeeForm(forms.Form):
    name = _line("Name", max_length=150, message="Enter the name of the person who attended")
    organisation_name = _line("Organisation", max_length=200,
                              message="Enter the organisation they attended for")
    organisation_type = forms.ChoiceField(
        label="Type of organisation", choices=[("", "Select a type"), *OrganisationType.choices],
        error_messages={"required": "Select the type of organisation",
                        "invalid_choice": "Select the type of organisation"})

    def __init__(self, *args, areas, items, apologies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_area"] = area_field(areas=areas, label="Police: the area they represent",
                                                empty_label="Not police")
        self.fields["item"] = forms.ChoiceField(
            label="Present for", required=False,
            choices=[("", "The whole meeting"),
                     *[(str(item.pk), f"Case {item.case.reference} (item {item.position})")
                       for item in items if item.visible]],
            error_messages={"invalid_choice": "Select an item on this agenda"})
        self.fields["deputy_for"] = forms.ChoiceField(
            label="Deputising for (optional)", required=False,
            help_text="Someone who sent apologies, if this person came in their place.",
            choices=[("", "Nobody"), *[(str(row.pk), f"{row.name} — {row.organisation_name}")
                                       for row in apologies]],
            error_messages={"invalid_choice": "Select someone who sent apologies"})


class DecisionForm(forms.Form):
    """One form for every decision; the fields a decision does not need are ignored."""

    decision_method = forms.ChoiceField(
        label="How did the panel decide?", choices=DecisionMethod.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}),
        error_messages={"required": "Select how the panel reached the decision",
                        "invalid_choice": "Select how the panel reached the decision"})
    votes_for = _count("Votes for")
    votes_against = _count("Votes against")
    abstentions = _count("Abstentions")
    reasons = _text("The panel's reasons", max_length=5000, rows=6,
                    message="Enter the panel's reasons for the decision")
    outcome = forms.ChoiceField(label="If not adopted: the outcome", required=False,
                                choices=[("", "Select an outcome"), *NotAdoptedOutcome.choices])
    signposted_to = _line("If signposted: to which service", max_length=200, required=False)
    health_social_care_considered = forms.BooleanField(
        label="The panel considered referring the person to health or social care services", required=False)
    health_social_care_notes = _text("If not adopted: where they were referred for health or social care, "
                                     "or why not", max_length=2000, required=False, rows=3)
    reassess_on = govuk_date_field("If re-assessing: the date the panel will look again", required=False)

    def __init__(self, *args, choices, owners, case=None, action_rows=3, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"decision": forms.ChoiceField(
            label="What did the panel decide?", choices=choices,
            widget=forms.RadioSelect(attrs={"govuk": {
                "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}),
            error_messages={"required": "Select the panel's decision",
                            "invalid_choice": "Select one of the decisions the panel can make about this "
                                              "case"}),
            **self.fields}
        self.action_rows = action_rows
        for number in range(1, action_rows + 1):
            self.fields[f"action_{number}_description"] = _line(
                f"Action {number}: what is to be done", max_length=2000, required=False)
            self.fields[f"action_{number}_owner"] = _user_choice(
                f"Action {number}: who does it", owners, required=False, message="Select who does it")
            self.fields[f"action_{number}_due_date"] = govuk_date_field(f"Action {number}: due by",
                                                                        required=False)
        self.owner_checks = self._owner_checks(case, owners) if case is not None else {}
        self.asking = []

    def _owner_checks(self, case, owners) -> dict:
        """For each action row whose chosen owner sees the case only through
        its team and is not on it: the question "Add them?", after the row's
        due date. Which owner it was asked about is kept (a hidden field), so
        an answer counts only for that person."""
        from prevent_hub.channel.support import action_owner_check

        checks = {}
        for number in range(1, self.action_rows + 1):
            chosen = str(self.data.get(f"action_{number}_owner", "")) if self.is_bound else ""
            owner = owners.filter(pk=chosen).first() if chosen.isdigit() else None
            check = action_owner_check(case=case, owner=owner) if owner is not None else None
            if check is None or not (check.needs_adding and check.role):
                continue
            checks[number] = check
            fields = list(self.fields.items())
            at = [name for name, _ in fields].index(f"action_{number}_due_date") + 1
            question = (f"action_{number}_add_owner_to_team",
                        owner_team_question(check, refused="the decision is not recorded"))
            asked = (f"action_{number}_asked_about",
                     forms.CharField(required=False, widget=forms.HiddenInput))
            self.fields = dict([*fields[:at], question, asked, *fields[at:]])
        return checks

    def team_questions_unanswered(self) -> list[int]:
        """The rows whose team question has not been answered about their
        owner yet: the page asks them (again) and records nothing."""
        return [number for number, check in self.owner_checks.items()
                if self.cleaned_data.get(f"action_{number}_asked_about") != str(check.owner.pk)
                or owner_team_answer(self.cleaned_data.get(f"action_{number}_add_owner_to_team")) is None]

    def ask_team_questions(self, numbers):
        """Mark the questions as asked about the owners chosen now; those
        already asked and left unanswered get an error saying what to do."""
        self.data = self.data.copy()
        self.asking = [(number, self.owner_checks[number].owner.full_name) for number in numbers]
        for number in numbers:
            check = self.owner_checks[number]
            if self.cleaned_data.get(f"action_{number}_asked_about") == str(check.owner.pk):
                self.add_error(f"action_{number}_add_owner_to_team",
                               f"Action {number}: select yes if {check.owner.full_name} should be added to "
                               "the case team")
            self.data[f"action_{number}_asked_about"] = str(check.owner.pk)

    def actions(self):
        from .decisions import PanelActionInput

        found = []
        for number in range(1, self.action_rows + 1):
            description = self.cleaned_data.get(f"action_{number}_description", "")
            owner = self.cleaned_data.get(f"action_{number}_owner")
            due = self.cleaned_data.get(f"action_{number}_due_date")
            if description or owner or due:
                found.append(PanelActionInput(
                    description=description, owner=owner, due_date=due,
                    add_owner_to_team=owner_team_answer(
                        self.cleaned_data.get(f"action_{number}_add_owner_to_team")) is True))
        return found


class MinuteForm(forms.Form):
    minute = _text("Minute", max_length=20000, rows=12, message="Enter the minute for this item")


class NotesForm(forms.Form):
    general_notes = _text("General notes", max_length=20000, required=False, rows=8,
                          help_text="Introductions, apologies and anything not about one case. "
                                    "Do not name people discussed here.")


class AddendumForm(forms.Form):
    text = _text("Correction", max_length=10000, rows=6, message="Enter the correction")

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"item": forms.ChoiceField(
            label="What does it correct?", required=False,
            choices=[("", "The meeting as a whole"),
                     *[(str(item.pk), f"Item {item.position}") for item in items]],
            error_messages={"invalid_choice": "Select an item of this meeting"}), **self.fields}


class ReasonsForm(forms.Form):
    reasons = _text("Why is the meeting cancelled?", max_length=2000, rows=4,
                    message="Enter why the meeting is cancelled")


def area_field(*, areas, label: str, empty_label: str):
    return forms.ModelChoiceField(
        queryset=areas, label=label, required=False, empty_label=empty_label,
        error_messages={"invalid_choice": "Select one of the areas the panels serve"})


class AreaForm(forms.Form):
    def __init__(self, *args, areas, empty_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(areas=areas, label="Area", empty_label=empty_label)


class ConfirmForm(forms.Form):
    """A button that carries the CSRF token and nothing else."""


class OutsideDecisionForm(forms.Form):
    """A decision taken outside a meeting, by the chair. The fields a
    decision does not need are ignored, as on the meeting's decision form."""

    kind = forms.ChoiceField(
        label="How was the decision taken?", choices=OutsideMeetingKind.choices,
        widget=forms.RadioSelect(attrs={"govuk": {
            "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}),
        error_messages={"required": "Select how the decision was taken",
                        "invalid_choice": "Select how the decision was taken"})
    decided_on = govuk_date_field("Date of the decision")
    why_not_at_meeting = _text("Why it could not wait for a meeting", max_length=2000, rows=3,
                               message="Enter why the decision could not wait for a meeting")
    reasons = _text("The reasons for the decision", max_length=5000, rows=6,
                    message="Enter the panel's reasons for the decision")
    outcome = forms.ChoiceField(label="If not adopted: the outcome", required=False,
                                choices=[("", "Select an outcome"), *NotAdoptedOutcome.choices])
    signposted_to = _line("If signposted: to which service", max_length=200, required=False)
    health_social_care_considered = forms.BooleanField(
        label="Referral to health or social care services was considered", required=False)
    health_social_care_notes = _text("If not adopted: where they were referred for health or social care, "
                                     "or why not", max_length=2000, required=False, rows=3)
    reassess_on = govuk_date_field("If re-assessing: the date the panel will look again", required=False)

    def __init__(self, *args, panels, decisions, consultees, **kwargs):
        super().__init__(*args, **kwargs)
        radios = {"govuk": {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}}
        panel = forms.ModelChoiceField(
            queryset=panels, label="Panel", empty_label=None if panels.count() == 1 else "Select the panel",
            error_messages={"required": "Select the panel the decision is for",
                            "invalid_choice": "Select the panel the decision is for"})
        decision = forms.ChoiceField(
            label="What was decided?", choices=decisions, widget=forms.RadioSelect(attrs=radios),
            error_messages={"required": "Select the decision",
                            "invalid_choice": "Select one of the decisions that can be taken outside a "
                                              "meeting"})
        consulted = forms.ModelMultipleChoiceField(
            queryset=consultees, label="Panel members consulted",
            help_text="Include a police representative.", widget=forms.CheckboxSelectMultiple(attrs=radios),
            error_messages={"required": "Select the panel members consulted",
                            "invalid_choice": "Select the panel members consulted from the list",
                            "invalid_pk_value": "Select the panel members consulted from the list"})
        consulted.label_from_instance = lambda user: (
            f"{user.full_name} ({user.organisation.name})" if user.organisation_id else user.full_name)
        fields = dict(self.fields)
        self.fields = {"panel": panel,
                       "kind": fields.pop("kind"), "decision": decision,
                       "decided_on": fields.pop("decided_on"), "consulted": consulted, **fields}
