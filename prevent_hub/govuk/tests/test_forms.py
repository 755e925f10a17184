"""Django forms rendered as GOV.UK components by GovukFormRenderer.

The assertions are about what a user meets: labels tied to their inputs, hints
and errors announced with them, answers kept after a failed submit, and error
summary links that land on a real input.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.template import Context, Template

from prevent_hub.govuk.forms import GovukDateField, GovukDateInput

HOSTILE = "<script>alert(1)</script>"

CONTACT = [("email", "Email"), ("phone", "Phone"), ("none", "Do not contact me")]
CONCERNS = [("online", "Online radicalisation"), ("school", "Behaviour at school")]
ROLES = [("", "Choose a role"), ("teacher", "Teacher"), ("nurse", "Nurse")]


class ReferralForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on letters")
    email = forms.EmailField(label="Email address", required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    website = forms.URLField(label="Website", required=False)
    age = forms.IntegerField(label="Age")
    phone = forms.CharField(label="Phone number", required=False,
                            widget=forms.TelInput(attrs={"autocomplete": "tel"}))
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    summary = forms.CharField(label="Summary", max_length=20, widget=forms.Textarea)
    role = forms.ChoiceField(label="Role", choices=ROLES)
    contact = forms.ChoiceField(label="How should we contact you?", choices=CONTACT,
                                widget=forms.RadioSelect)
    concerns = forms.MultipleChoiceField(label="Concerns", choices=CONCERNS,
                                         widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(label="I confirm the details are correct",
                               help_text="You can change them later")
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2007")
    evidence = forms.FileField(label="Evidence", required=False)
    case = forms.CharField(widget=forms.HiddenInput, required=False)


BAD_ANSWERS = {
    "full_name": HOSTILE,
    "email": "not an email",
    "age": "forty",
    "password": "secret-password",
    "notes": HOSTILE,
    "summary": "far more than twenty characters",
    "role": "nurse",
    "contact": "phone",
    "concerns": ["school"],
    "date_of_birth-day": "31",
    "date_of_birth-month": "",
    "date_of_birth-year": "2000",
    "case": "PH-1",
}


def render(source, **context):
    return Template(source).render(Context(context))


def parse(html):
    return BeautifulSoup(html, "html5lib")


def page(form):
    return parse(render('{% include "govuk/forms/error_summary.html" %}{{ form }}', form=form))


def failed(data=None, form_class=ReferralForm):
    form = form_class(data=BAD_ANSWERS if data is None else data)
    assert not form.is_valid()
    return form


def group_of(soup, control_id):
    return soup.find(id=control_id).find_parent(class_="govuk-form-group")


def label_for(soup, control_id):
    return soup.find("label", attrs={"for": control_id}).get_text(strip=True)


def described_by(element):
    return element.get("aria-describedby", "").split()


def test_text_inputs_get_their_label_hint_and_type():
    soup = page(ReferralForm())
    full_name = soup.find(id="id_full_name")
    assert (full_name.name, full_name["type"], full_name["name"]) == ("input", "text", "full_name")
    assert "govuk-input" in full_name["class"]
    assert label_for(soup, "id_full_name") == "Full name"
    assert "id_full_name-hint" in described_by(full_name)
    assert soup.find(id="id_full_name-hint").get_text(strip=True) == "As it appears on letters"

    email = soup.find(id="id_email")
    assert (email["type"], email["autocomplete"], email["spellcheck"]) == (
        "email", "email", "false")
    assert soup.find(id="id_website")["type"] == "url"
    assert soup.find(id="id_phone")["type"] == "tel"
    assert soup.find(id="id_phone")["autocomplete"] == "tel"


def test_numbers_use_a_text_input_with_a_numeric_keypad():
    age = page(ReferralForm()).find(id="id_age")
    assert (age["type"], age["inputmode"]) == ("text", "numeric")


def test_required_fields_are_marked_and_disabled_fields_disabled():
    form = ReferralForm()
    form.fields["full_name"].disabled = True
    soup = page(form)
    assert soup.find(id="id_full_name").has_attr("disabled")
    assert soup.find(id="id_age").has_attr("required")
    assert not soup.find(id="id_phone").has_attr("required")


def test_password_is_a_password_input_that_never_comes_back():
    soup = page(failed())
    password = soup.find(id="id_password")
    assert password["type"] == "password"
    assert not password.has_attr("value")
    assert "secret-password" not in str(soup)
    toggle = soup.find("button", attrs={"aria-controls": "id_password"})
    assert toggle.get_text(strip=True) == "Show"


def test_textarea_and_character_count():
    soup = page(ReferralForm())
    assert soup.find(id="id_notes").name == "textarea"
    assert label_for(soup, "id_notes") == "Notes"
    summary = soup.find(id="id_summary")
    group = group_of(soup, "id_summary")
    assert group["data-module"] == "govuk-character-count"
    assert group["data-maxlength"] == "20"
    # The count lets users type past the limit and then says so.
    assert not summary.has_attr("maxlength")
    assert soup.find(id="id_summary-info").get_text(strip=True) == (
        "You can enter up to 20 characters")


def test_select_lists_its_choices():
    soup = page(ReferralForm())
    select = soup.find(id="id_role")
    assert "govuk-select" in select["class"]
    assert [option.get_text(strip=True) for option in select.find_all("option")] == [
        "Choose a role", "Teacher", "Nurse"]
    assert label_for(soup, "id_role") == "Role"


def test_radios_and_checkboxes_are_fieldsets_with_one_input_per_choice():
    soup = page(ReferralForm())
    radios = soup.find(id="id_contact").find_parent("fieldset")
    assert radios.legend.get_text(strip=True) == "How should we contact you?"
    assert [radio["id"] for radio in radios.find_all("input")] == [
        "id_contact", "id_contact-2", "id_contact-3"]
    assert {radio["type"] for radio in radios.find_all("input")} == {"radio"}
    assert label_for(soup, "id_contact-3") == "Do not contact me"

    checkboxes = soup.find(id="id_concerns").find_parent("fieldset")
    assert checkboxes.legend.get_text(strip=True) == "Concerns"
    assert [box["value"] for box in checkboxes.find_all("input")] == ["online", "school"]


def test_a_boolean_is_one_checkbox_labelled_with_the_question():
    soup = page(ReferralForm())
    agree = soup.find(id="id_agree")
    assert (agree["type"], agree["name"]) == ("checkbox", "agree")
    assert label_for(soup, "id_agree") == "I confirm the details are correct"
    assert "id_agree-item-hint" in described_by(agree)
    assert not agree.find_parent("fieldset")


def test_a_ticked_boolean_is_read_back_as_true():
    data = {**BAD_ANSWERS, "agree": "true"}
    form = failed(data)
    assert form.cleaned_data["agree"] is True
    assert page(form).find(id="id_agree").has_attr("checked")


def test_date_is_three_boxes_in_a_group():
    soup = page(ReferralForm(initial={"date_of_birth": datetime.date(2007, 3, 27)}))
    fieldset = soup.find(id="id_date_of_birth-day").find_parent("fieldset")
    assert fieldset["role"] == "group"
    assert fieldset.legend.get_text(strip=True) == "Date of birth"
    assert "id_date_of_birth-hint" in described_by(fieldset)
    boxes = fieldset.find_all("input")
    assert [(box["name"], box["value"]) for box in boxes] == [
        ("date_of_birth-day", "27"), ("date_of_birth-month", "3"), ("date_of_birth-year", "2007")]
    assert [label_for(soup, box["id"]) for box in boxes] == ["Day", "Month", "Year"]


def test_file_upload():
    soup = page(ReferralForm())
    evidence = soup.find(id="id_evidence")
    assert (evidence["type"], "govuk-file-upload" in evidence["class"]) == ("file", True)
    assert label_for(soup, "id_evidence") == "Evidence"


def test_hidden_fields_stay_plain_hidden_inputs():
    soup = page(failed())
    case = soup.find(id="id_case")
    assert (case["type"], case["value"]) == ("hidden", "PH-1")
    assert not case.find_parent(class_="govuk-form-group")


def test_errors_show_against_the_field():
    soup = page(failed())
    group = group_of(soup, "id_age")
    assert "govuk-form-group--error" in group["class"]
    assert "govuk-input--error" in soup.find(id="id_age")["class"]
    message = soup.find(id="id_age-error")
    assert message.get_text(" ", strip=True) == "Error: Enter a whole number."
    assert "id_age-error" in described_by(soup.find(id="id_age"))
    assert "id_agree-error" in described_by(soup.find(id="id_agree"))
    assert "id_date_of_birth-error" in described_by(
        soup.find(id="id_date_of_birth-day").find_parent("fieldset"))


def test_only_the_first_error_is_shown():
    class TwoErrors(forms.Form):
        code = forms.CharField(label="Code")

        def clean_code(self):
            raise forms.ValidationError(["Enter a code", "Codes are 6 letters"])

    soup = page(failed({"code": "x"}, TwoErrors))
    assert soup.find(id="id_code-error").get_text(" ", strip=True) == "Error: Enter a code"
    assert "Codes are 6 letters" not in soup.get_text()


def test_answers_survive_a_failed_submit():
    soup = page(failed())
    assert soup.find(id="id_full_name")["value"] == HOSTILE
    assert soup.find(id="id_age")["value"] == "forty"
    assert soup.find(id="id_notes").get_text() == HOSTILE
    assert soup.find(id="id_summary").get_text() == "far more than twenty characters"
    assert soup.find("option", selected=True)["value"] == "nurse"
    assert [radio["value"] for radio in soup.find_all("input", attrs={"name": "contact"})
            if radio.has_attr("checked")] == ["phone"]
    assert [box["value"] for box in soup.find_all("input", attrs={"name": "concerns"})
            if box.has_attr("checked")] == ["school"]
    assert [soup.find(id=f"id_date_of_birth-{part}")["value"]
            for part in ("day", "month", "year")] == ["31", "", "2000"]


def test_a_hostile_answer_comes_back_as_text():
    html = render("{{ form }}", form=failed())
    soup = parse(html)
    assert soup.find("script") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert soup.find(id="id_full_name")["value"] == HOSTILE


def test_error_summary_links_each_error_to_an_input_on_the_page():
    soup = page(failed())
    summary = soup.find(class_="govuk-error-summary")
    assert summary.find(class_="govuk-error-summary__title").get_text(strip=True) == (
        "There is a problem")
    links = {link.get_text(strip=True): link["href"] for link in summary.find_all("a")}
    assert links == {
        "Enter a valid email address.": "#id_email",
        "Enter a whole number.": "#id_age",
        "Ensure this value has at most 20 characters (it has 31).": "#id_summary",
        "This field is required.": "#id_agree",
        "Date must include a month": "#id_date_of_birth-month",
    }
    for href in links.values():
        assert soup.find(id=href.removeprefix("#")).name in {"input", "textarea"}


def test_error_summary_links_choices_to_their_first_input():
    soup = page(failed({}))
    hrefs = [link["href"] for link in soup.find(class_="govuk-error-summary").find_all("a")]
    assert "#id_contact" in hrefs
    assert "#id_concerns" in hrefs
    assert "#id_date_of_birth-day" in hrefs
    for href in hrefs:
        target = soup.find(id=href.removeprefix("#"))
        assert target.name in {"input", "textarea", "select"}
        assert target.get("type") != "hidden"


def test_error_summary_lists_form_errors_linked_to_the_form():
    class SignIn(forms.Form):
        email = forms.EmailField(label="Email address")

        def clean(self):
            raise forms.ValidationError("Enter a correct email address and password")

    soup = page(failed({"email": "sam@example.com"}, SignIn))
    item = soup.find(class_="govuk-error-summary__list").li
    assert item.get_text(strip=True) == "Enter a correct email address and password"
    assert item.a["href"] == "#id_email"  # the form, at its first field
    shown = soup.find(id="form-errors")  # and said again at the top of the form
    assert shown.get_text(" ", strip=True) == "Error: Enter a correct email address and password"


def test_a_refused_form_with_no_fields_still_shows_why():
    """A confirmation (approve, cancel, remove) has no fields: a service's
    refusal is all there is to show, in the summary and above the button."""
    form = forms.Form(data={})
    assert form.is_valid()
    form.add_error(None, "Not yet decided: items 1 and 2")
    soup = page(form)
    summary = soup.find(class_="govuk-error-summary")
    assert summary.find("h2").get_text(strip=True) == "There is a problem"
    link = summary.find(class_="govuk-error-summary__list").li.a
    assert link.get_text(strip=True) == "Not yet decided: items 1 and 2"
    assert soup.find(id=link["href"].removeprefix("#")).find(class_="govuk-error-message")


def test_refusals_of_prefixed_forms_on_one_page_link_to_their_own_form():
    first, second = forms.Form(data={}, prefix="first"), forms.Form(data={}, prefix="second")
    for form in (first, second):
        form.is_valid()
        form.add_error(None, f"Refused: {form.prefix}")
    soup = parse(render('{% include "govuk/forms/error_summary.html" with form=a %}{{ a }}{{ b }}',
                        a=first, b=second))
    href = soup.find(class_="govuk-error-summary__list").li.a["href"]
    assert href == "#first-form-errors"
    assert "Refused: first" in soup.find(id="first-form-errors").get_text()
    assert "Refused: second" in soup.find(id="second-form-errors").get_text()


def test_no_error_summary_without_errors():
    assert page(ReferralForm()).find(class_="govuk-error-summary") is None
    assert page(ReferralForm(data={})).find(class_="govuk-error-summary") is not None
    assert render('{% include "govuk/forms/error_summary.html" %}').strip() == ""


@pytest.mark.parametrize(("day", "month", "year", "message", "marked"), [
    ("", "", "2000", "Date must include a day and month", ["day", "month"]),
    ("31", "2", "2000", "Date must be a real date", ["day", "month", "year"]),
    ("1", "May", "2000", "Date must be a real date", ["month"]),
    ("1", "5", "99", "Year must include 4 numbers", ["year"]),
])
def test_date_errors_mark_the_boxes_at_fault(day, month, year, message, marked):
    form = failed({"date_of_birth-day": day, "date_of_birth-month": month,
                   "date_of_birth-year": year})
    assert form.errors["date_of_birth"] == [message]
    soup = page(form)
    errored = [part for part in ("day", "month", "year")
               if "govuk-input--error" in soup.find(id=f"id_date_of_birth-{part}")["class"]]
    assert errored == marked
    link = soup.find("a", string=message)
    assert link["href"] == f"#id_date_of_birth-{marked[0]}"


def test_a_real_date_is_cleaned():
    field = GovukDateField()
    assert field.clean(["7", "03", "2007"]) == datetime.date(2007, 3, 7)
    assert isinstance(field.widget, GovukDateInput)
    with pytest.raises(forms.ValidationError):
        field.clean(["", "", ""])


class OptionsForm(forms.Form):
    name = forms.CharField(label="What is your name?", widget=forms.TextInput(attrs={"govuk": {
        "label": {"classes": "govuk-label--l", "isPageHeading": True},
        "classes": "govuk-input--width-20",
    }}))
    contact = forms.ChoiceField(label="How should we contact you?", choices=CONTACT,
                                widget=forms.RadioSelect(attrs={"govuk": {
        "classes": "govuk-radios--inline",
        "fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}},
        "items": {
            "email": {"hint": {"text": "We reply within 5 days"},
                      "conditional": {"field": "email"}},
            "none": {"divider": "or"},
        },
    }}))
    email = forms.EmailField(label="Email address", required=False)


def test_govuk_options_are_merged_into_the_params():
    soup = page(OptionsForm())
    heading = soup.find("h1", class_="govuk-label-wrapper")
    assert heading.label["for"] == "id_name"
    assert "govuk-label--l" in heading.label["class"]
    assert "govuk-input--width-20" in soup.find(id="id_name")["class"]
    assert "govuk-radios--inline" in soup.find(class_="govuk-radios")["class"]
    assert "govuk-fieldset__legend--m" in soup.find("legend")["class"]
    assert "id_contact-item-hint" in described_by(soup.find(id="id_contact"))
    assert soup.find(class_="govuk-radios__divider").get_text(strip=True) == "or"
    # The divider takes a place in the numbering, as in govuk-frontend.
    assert soup.find("input", value="none")["id"] == "id_contact-4"


def test_a_field_can_be_revealed_under_a_radio():
    soup = page(OptionsForm())
    reveal = soup.find(id="conditional-id_contact")
    assert soup.find(id="id_contact")["data-aria-controls"] == "conditional-id_contact"
    assert "govuk-radios__conditional--hidden" in reveal["class"]
    assert reveal.find(id="id_email")["type"] == "email"
    assert len(soup.find_all(id="id_email")) == 1

    form = failed({"name": "Sam", "contact": "email", "email": "nope"}, OptionsForm)
    soup = page(form)
    reveal = soup.find(id="conditional-id_contact")
    assert "govuk-radios__conditional--hidden" not in reveal["class"]
    assert reveal.find(id="id_email-error") is not None
    assert soup.find("a", href="#id_email") is not None


def test_templates_can_set_options_per_page():
    html = render(
        '{% govuk form.name.govuk_component form.name.govuk_params '
        'label__classes="govuk-label--xl" hint__text="Your full name" %}',
        form=OptionsForm())
    soup = parse(html)
    assert "govuk-label--xl" in soup.label["class"]
    assert soup.find(id="id_name-hint").get_text(strip=True) == "Your full name"
    assert "id_name-hint" in described_by(soup.find(id="id_name"))


def test_as_field_group_renders_one_component():
    soup = parse(render("{{ form.role.as_field_group }}", form=ReferralForm()))
    assert len(soup.find_all(class_="govuk-form-group")) == 1
    assert soup.find(id="id_role").name == "select"


def test_widgets_without_a_component_keep_their_label():
    class Slider(forms.Widget):
        template_name = "django/forms/widgets/input.html"

    class Rating(forms.Form):
        stars = forms.IntegerField(label="Rating", help_text="Out of 5", widget=Slider)

    soup = page(Rating())
    assert label_for(soup, "id_stars") == "Rating"
    assert soup.find(id="id_stars").find_parent(class_="govuk-form-group") is not None
    assert described_by(soup.find(id="id_stars")) == ["id_stars_helptext"]
    assert soup.find(id="id_stars_helptext").get_text(strip=True) == "Out of 5"


def test_widgets_without_a_component_keep_legend_hint_and_error():
    class Meeting(forms.Form):
        starts = forms.SplitDateTimeField(label="Meeting starts", help_text="Use 24-hour time")

    soup = page(failed({"starts_0": "", "starts_1": ""}, Meeting))
    group = soup.find(class_="govuk-form-group")
    assert "govuk-form-group--error" in group["class"]
    fieldset = soup.find(id="id_starts_0").find_parent("fieldset")
    assert fieldset.find_parent(class_="govuk-form-group") is group
    assert fieldset.legend.get_text(strip=True) == "Meeting starts"
    assert described_by(fieldset) == ["id_starts_helptext", "id_starts_error"]
    assert soup.find(id="id_starts_helptext").get_text(strip=True) == "Use 24-hour time"
    assert soup.find(id="id_starts_error").get_text(" ", strip=True) == (
        "Error: This field is required.")
