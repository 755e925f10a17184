"""People search, a person's record with what each referral said, editing it,
merging two records and undoing that, and "not the same person": as
coordinators and police practitioners use them. One client per signed-in
user. Every name, date and address here is made up."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import sign_in
from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.administration.tests.helpers import HOSTILE, assert_escaped, error_summary
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel.models import ChannelCase, ChronologyEntry
from prevent_hub.people.models import Person, PersonChange, PersonDistinction, PersonMerge
from prevent_hub.people.services import person_merge
from prevent_hub.referrals.tests.factories import PublicReferralFactory, ReferralFactory

from .factories import PersonFactory

DOB = datetime.date(2011, 2, 3)

pytestmark = pytest.mark.django_db


def client_for(*roles, **fields):
    client = Client()
    client.user = sign_in(client, UserFactory(roles=roles, **fields))
    return client


@pytest.fixture
def coordinator():
    return client_for(Role.PREVENT_COORDINATOR, full_name="Cora Coordinator")


@pytest.fixture
def police():
    return client_for(Role.POLICE_PRACTITIONER, full_name="Pat Police")


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html5lib").get_text(" ").split())


def search(client, **params):
    return client.get(reverse("people:search"), params)


def found_names(response):
    soup = BeautifulSoup(response.content, "html5lib")
    return [row.select("td, th")[0].get_text(strip=True) for row in soup.select("table tbody tr")]


def detail(person):
    return reverse("people:detail", kwargs={"pk": person.pk})


@pytest.fixture
def lukasz():
    """Known from a public concern (name, age, address) and a referral that gave a date of birth."""
    person = PersonFactory(given_name="Łukasz", family_name="Kowalski", date_of_birth=None, postcode="",
                           address="")
    PublicReferralFactory(person=person, subject_given_name="Lukasz", subject_family_name="Kowalski",
                          subject_approximate_age=15, subject_address="7 Larch Close, Shireford",
                          subject_postcode="", received_at=timezone.make_aware(datetime.datetime(2026, 6, 1)))
    ReferralFactory(person=person, subject_given_name="Łukasz", subject_family_name="Kowalski",
                    subject_date_of_birth=DOB, subject_postcode="SF47QT", subject_address="7 Larch Close")
    return person


class TestSearch:
    def test_the_page_asks_what_you_know(self, coordinator):
        response = search(coordinator)
        assert response.status_code == 200
        assert "Find a person" in text_of(response)
        assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()

    @pytest.mark.parametrize("name", ["Lukasz Kowalski", "Łukasz Kowalski", "Lucasz Kowalsky", "Kowalski",
                                      "Kowalski Lukasz"])
    def test_by_name_in_any_spelling_or_order(self, coordinator, lukasz, name):
        PersonFactory(given_name="Petra", family_name="Quill")
        assert found_names(search(coordinator, name=name)) == ["Łukasz Kowalski"]

    def test_by_date_of_birth_given_only_in_a_referral(self, coordinator, lukasz):
        response = search(coordinator, **{"date_of_birth-day": "3", "date_of_birth-month": "2",
                                          "date_of_birth-year": "2011"})
        assert found_names(response) == ["Łukasz Kowalski"]

    @pytest.mark.parametrize("postcode", ["sf4 7qt", "SF47QT", "SF4"])
    def test_by_postcode_or_its_first_half(self, coordinator, lukasz, postcode):
        assert found_names(search(coordinator, postcode=postcode)) == ["Łukasz Kowalski"]

    def test_by_referral_or_case_reference(self, coordinator, lukasz):
        referral = lukasz.referrals.first()
        assert found_names(search(coordinator, reference=referral.reference.lower())) == ["Łukasz Kowalski"]
        case = ChannelCase.objects.create(reference="CH-2026-000777", person=lukasz, referral=referral,
                                          opened_at=timezone.now(), opened_by=coordinator.user)
        assert found_names(search(coordinator, reference=case.reference)) == ["Łukasz Kowalski"]

    def test_every_box_filled_in_must_match(self, coordinator, lukasz):
        assert found_names(search(coordinator, name="Kowalski", postcode="ZZ1")) == []
        text = text_of(search(coordinator, name="Kowalski", postcode="ZZ1"))
        assert "Nobody matches your search" in text

    def test_the_results_show_postcodes_in_the_standard_format(self, coordinator):
        PersonFactory(given_name="Petra", family_name="Quill", postcode="SF47QT")
        assert "SF4 7QT" in text_of(search(coordinator, name="Quill"))

    @pytest.mark.parametrize(("params", "message"), [
        ({"name": "!!!"}, "Enter a name with at least one letter"),
        ({"name": "x" * 201}, "Name must be 200 characters or fewer"),
        ({"postcode": "SF4 7QT; DROP TABLE"}, "Postcode must be 10 characters or fewer"),
        ({"postcode": "S"}, "Enter a postcode, like SF4 7QT, or its first half, like SF4"),
        ({"reference": "../../etc/passwd"}, "Enter a reference like PRV-2026-000123 or CH-2026-000045"),
        ({"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2011"},
         "Date of birth must be a real date"),
        ({"date_of_birth-day": "3", "date_of_birth-year": "2011"}, "Date of birth must include a month"),
    ])
    def test_bad_input_gets_a_clear_message_and_finds_nothing(self, coordinator, lukasz, params, message):
        response = search(coordinator, **params)
        assert response.status_code == 200
        assert message in error_summary(response)
        assert found_names(response) == []
        assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()

    def test_a_search_matching_far_too_many_people_asks_for_more(self, coordinator, lukasz, settings,
                                                                   monkeypatch):
        from prevent_hub.people import selectors

        monkeypatch.setattr(selectors, "SEARCH_LIMIT", 1)
        PersonFactory(given_name="Anna", family_name="Kowalski")
        response = search(coordinator, name="Kowalski")
        assert error_summary(response) == [
            "More than 1 people match your search. Add more to it, for example a date of birth or a whole "
            "postcode."]
        assert found_names(response) == []
        assert AuditEvent.objects.get(action=AuditAction.SEARCH).details["results"] == 2

    def test_hostile_text_is_shown_back_as_text(self, coordinator):
        response = search(coordinator, name=HOSTILE)
        assert_escaped(response.content.decode())

    def test_a_search_is_audited_without_what_was_typed(self, coordinator, lukasz):
        search(coordinator, name="Kowalski", postcode="SF4")
        event = AuditEvent.objects.get(action=AuditAction.SEARCH, object_type="people.person")
        assert event.details == {"screen": "people search", "name": True, "postcode": True, "results": 1,
                                 "page": 1}
        assert event.actor == coordinator.user

    def test_merged_records_are_not_found(self, coordinator, lukasz):
        other = PersonFactory(given_name="Lukasz", family_name="Kowalski")
        person_merge(kept=lukasz, merged=other, reasons="Fictional", acting_user=coordinator.user)
        assert found_names(search(coordinator, name="Kowalski")) == ["Łukasz Kowalski"]

    def test_police_find_only_people_with_a_referral_shared_with_them(self, police, lukasz):
        assert found_names(search(police, name="Kowalski")) == []
        shared = ReferralFactory(person=lukasz, subject_given_name="Luke", subject_family_name="Kowal",
                                 police_shared_at=timezone.now(), subject_date_of_birth=None)
        assert found_names(search(police, name="Luke Kowal")) == ["Łukasz Kowalski"]
        # Found by their record's name, but never by what an unshared referral says.
        assert found_names(search(police, name="Kowalski")) == ["Łukasz Kowalski"]
        assert found_names(search(police, postcode="SF4 7QT")) == []
        assert found_names(search(police, **{"date_of_birth-day": "3", "date_of_birth-month": "2",
                                             "date_of_birth-year": "2011"})) == []
        assert shared.reference in text_of(police.get(detail(lukasz)))

    def test_roles_that_may_not_see_people_are_refused(self):
        panel_member = client_for(Role.PANEL_MEMBER)
        assert search(panel_member, name="Kowalski").status_code == 403


class TestPersonRecord:
    def test_shows_what_each_referral_said_where_it_came_from(self, coordinator, lukasz):
        text = text_of(coordinator.get(detail(lukasz)))
        assert "What each referral said about them" in text
        assert "Not given (age about 15 on 1 June 2026)" in text
        assert "7 Larch Close, Shireford" in text
        assert "SF4 7QT" in text and "SF47QT" not in text
        assert "3 February 2011" in text

    def test_police_see_only_what_shared_referrals_said(self, police, lukasz):
        ReferralFactory(person=lukasz, police_shared_at=timezone.now(), subject_given_name="Luke",
                        subject_family_name="Kowal", subject_date_of_birth=None, subject_address="",
                        subject_postcode="")
        text = text_of(police.get(detail(lukasz)))
        assert "Luke Kowal" in text
        assert "3 February 2011" not in text and "7 Larch Close" not in text
        assert "Records that may be the same person" not in text

    def test_coordinators_see_records_and_referrals_that_may_be_the_same_person(self, coordinator, lukasz):
        PersonFactory(given_name="Lukas", family_name="Kowalski", date_of_birth=DOB, postcode="")
        waiting = PublicReferralFactory(subject_given_name="Luka", subject_family_name="Kowalsky",
                                        subject_address="7 Larch Close", subject_approximate_age=16,
                                        received_at=timezone.now())
        text = text_of(coordinator.get(detail(lukasz)))
        assert "Records that may be the same person" in text
        assert "Lukas Kowalski" in text and "same date of birth: 3 February 2011" in text
        assert f"{waiting.reference} received today, not yet identified: similar name" in text


class TestEdit:
    def url(self, person):
        return reverse("people:edit", kwargs={"pk": person.pk})

    def form(self, **changes):
        data = {"given_name": "Lukasz", "family_name": "Kowalski", "other_names": "Luke Kowal",
                "date_of_birth-day": "3", "date_of_birth-month": "2", "date_of_birth-year": "2011",
                "gender": "", "address": "7 Larch Close\nShireford", "postcode": "sf4 7qt",
                "school_or_employer": "Shireford Test Academy",
                "reasons": "Confirmed by the school (fictional)"}
        return {**data, **changes}

    def test_changes_are_kept_in_the_history_with_who_and_why(self, coordinator, lukasz):
        assert coordinator.get(self.url(lukasz)).status_code == 200
        response = coordinator.post(self.url(lukasz), self.form(), follow=True)
        lukasz.refresh_from_db()
        assert (lukasz.given_name, lukasz.date_of_birth, lukasz.postcode, lukasz.address_key) == (
            "Lukasz", DOB, "SF47QT", "7 larch close")
        assert [str(name) for name in lukasz.names.filter(kind="other")] == ["Luke Kowal"]
        text = text_of(response)
        assert "You changed Lukasz Kowalski’s details" in text
        assert "First name: was “Łukasz”, now “Lukasz”" in text
        assert "Date of birth: was blank, now “3 February 2011”" in text
        assert "Why: Confirmed by the school (fictional)" in text
        assert "by Cora Coordinator" in text
        event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="people.person")
        assert "date_of_birth" in event.changed_fields and "Lukasz" not in str(event.details)

    def test_reasons_are_needed_and_what_was_typed_is_kept(self, coordinator, lukasz):
        response = coordinator.post(self.url(lukasz), self.form(reasons="", given_name="Typed name"))
        assert "Enter why you are changing these details" in error_summary(response)
        assert 'value="Typed name"' in response.content.decode()
        lukasz.refresh_from_db()
        assert lukasz.given_name == "Łukasz"
        assert not PersonChange.objects.exists()

    def test_a_name_is_needed(self, coordinator, lukasz):
        response = coordinator.post(self.url(lukasz), self.form(given_name="", family_name=""))
        assert "Enter a first name or a last name" in error_summary(response)

    def test_nothing_changed_records_nothing(self, coordinator, lukasz):
        coordinator.post(self.url(lukasz), self.form())
        count = PersonChange.objects.count()
        response = coordinator.post(self.url(lukasz), self.form(reasons="Again"), follow=True)
        assert "You did not change any details" in text_of(response)
        assert PersonChange.objects.count() == count

    def test_hostile_text_is_stored_as_text_and_escaped(self, coordinator, lukasz):
        coordinator.post(self.url(lukasz), self.form(given_name=HOSTILE))
        assert_escaped(coordinator.get(detail(lukasz)).content.decode())

    def test_police_may_not_edit(self, police, lukasz):
        ReferralFactory(person=lukasz, police_shared_at=timezone.now())
        assert police.post(self.url(lukasz), self.form(given_name="Changed")).status_code == 403
        lukasz.refresh_from_db()
        assert lukasz.given_name == "Łukasz"


class TestMerge:
    @pytest.fixture
    def duplicate(self, lukasz):
        other = PersonFactory(given_name="Lukas", family_name="Kowalski", date_of_birth=DOB, postcode="")
        referral = ReferralFactory(person=other, subject_given_name="Lukas", subject_family_name="Kowalski")
        case = ChannelCase.objects.create(reference="CH-2026-000900", person=other, referral=referral,
                                          opened_at=timezone.now(), opened_by=UserFactory())
        ChronologyEntry.objects.create(person=other, case=case, occurred_at=timezone.now(), kind="note",
                                       summary="Fictional note")
        return {"person": other, "referral": referral, "case": case}

    def confirm_url(self, kept, merged):
        return reverse("people:merge-confirm", kwargs={"pk": kept.pk, "other": merged.pk})

    def test_choosing_the_other_record_by_search(self, coordinator, lukasz, duplicate):
        response = coordinator.get(reverse("people:merge", kwargs={"pk": lukasz.pk}),
                                   {"name": "Lukas Kowalski"})
        soup = BeautifulSoup(response.content, "html5lib")
        assert soup.select_one(f"a[href='{self.confirm_url(lukasz, duplicate['person'])}']") is not None
        # The record itself is never offered.
        assert soup.select_one(f"a[href='{self.confirm_url(lukasz, lukasz)}']") is None

    def test_the_confirm_page_compares_them_and_says_what_will_move(self, coordinator, lukasz, duplicate):
        text = text_of(coordinator.get(self.confirm_url(lukasz, duplicate["person"])))
        assert "Are these the same person?" in text
        assert "same date of birth: 3 February 2011" in text
        assert f"1 referral ({duplicate['referral'].reference})" in text
        assert "1 Channel case (CH-2026-000900)" in text

    def test_merging_moves_everything_and_can_be_undone(self, coordinator, lukasz, duplicate):
        other = duplicate["person"]
        response = coordinator.post(self.confirm_url(lukasz, other), {"reasons": "Same pupil (fictional)"},
                                    follow=True)
        assert "You merged the record of Lukas Kowalski into this one" in text_of(response)
        merge = PersonMerge.objects.get()
        duplicate["referral"].refresh_from_db()
        duplicate["case"].refresh_from_db()
        assert duplicate["referral"].person == lukasz and duplicate["case"].person == lukasz
        assert ChronologyEntry.objects.get(summary="Fictional note").person == lukasz
        assert "Lukas Kowalski" in [str(name) for name in lukasz.names.all()]
        merged_page = text_of(coordinator.get(detail(other)))
        assert "merged into another record" in merged_page

        # Linked since the merge: stays with the kept record when the merge is undone.
        since = ReferralFactory(person=lukasz)
        undo_url = reverse("people:merge-undo", kwargs={"pk": merge.pk})
        assert "Enter why this merge was wrong" in error_summary(coordinator.post(undo_url, {"reasons": ""}))
        response = coordinator.post(undo_url, {"reasons": "Different pupils after all"}, follow=True)
        assert "You undid the merge" in text_of(response)
        for row in (duplicate["referral"], duplicate["case"]):
            row.refresh_from_db()
            assert row.person == other
        since.refresh_from_db()
        assert since.person == lukasz
        other.refresh_from_db()
        assert other.merged_into is None
        assert [str(name) for name in other.names.all()] == ["Lukas Kowalski"]
        history = text_of(coordinator.get(detail(lukasz)))
        assert "Merge undone" in history and "Why: Different pupils after all" in history
        again = coordinator.post(undo_url, {"reasons": "Twice"}, follow=True)
        assert "already been undone" in text_of(again)

    def test_reasons_are_needed(self, coordinator, lukasz, duplicate):
        response = coordinator.post(self.confirm_url(lukasz, duplicate["person"]), {"reasons": "  "})
        assert "Enter why these are the same person" in error_summary(response)
        assert not PersonMerge.objects.exists()

    def test_a_second_merge_of_the_same_record_is_refused(self, coordinator, lukasz, duplicate):
        coordinator.post(self.confirm_url(lukasz, duplicate["person"]), {"reasons": "Same pupil"})
        response = coordinator.post(self.confirm_url(lukasz, duplicate["person"]), {"reasons": "Same pupil"})
        assert response.status_code == 404  # the merged record is no longer one to merge
        assert PersonMerge.objects.count() == 1

    def test_a_record_cannot_be_merged_with_itself(self, coordinator, lukasz):
        assert coordinator.post(self.confirm_url(lukasz, lukasz), {"reasons": "x"}).status_code == 404

    def test_only_coordinators_merge(self, police, lukasz, duplicate):
        assert police.post(self.confirm_url(lukasz, duplicate["person"]), {"reasons": "x"}).status_code == 403
        assert not PersonMerge.objects.exists()


class TestNotTheSame:
    def test_recorded_in_both_histories_and_not_offered_again(self, coordinator, lukasz):
        other = PersonFactory(given_name="Lukas", family_name="Kowalski", date_of_birth=DOB)
        url = reverse("people:not-same", kwargs={"pk": lukasz.pk, "other": other.pk})
        assert "Not the same person as Lukas Kowalski?" in text_of(coordinator.get(url))
        response = coordinator.post(url, {"reasons": "Cousins (fictional)"}, follow=True)
        assert "are not the same person" in text_of(response)
        assert PersonDistinction.objects.count() == 1
        assert "No other record has enough facts in common" in text_of(response)
        assert "Not the same person as Łukasz Kowalski" in text_of(coordinator.get(detail(other)))
        coordinator.post(url, {"reasons": ""})  # twice: nothing more
        assert PersonDistinction.objects.count() == 1
        assert Person.objects.count() == 2


@pytest.mark.parametrize("page", ["merge-confirm", "not-same", "merge-undo"])
def test_pages_that_show_two_records_audit_a_view_of_each(coordinator, lukasz, page):
    other = PersonFactory(given_name="Lukas", family_name="Kowalski", date_of_birth=DOB)
    if page == "merge-undo":
        merge = person_merge(kept=lukasz, merged=other, reasons="Fictional", acting_user=coordinator.user)
        url = reverse("people:merge-undo", kwargs={"pk": merge.pk})
    else:
        url = reverse(f"people:{page}", kwargs={"pk": lukasz.pk, "other": other.pk})
    assert coordinator.get(url).status_code == 200
    viewed = set(AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="people.person")
                 .values_list("object_id", flat=True))
    assert viewed == {str(lukasz.pk), str(other.pk)}


def test_a_merge_cannot_be_undone_while_its_kept_record_is_merged_into_another(coordinator, lukasz):
    from django.core.exceptions import ValidationError

    from prevent_hub.people.services import person_merge_undo

    first = PersonFactory(given_name="Lukas", family_name="Kowalski")
    third = PersonFactory(given_name="Luke", family_name="Kowalski")
    earlier = person_merge(kept=lukasz, merged=first, reasons="Fictional", acting_user=coordinator.user)
    person_merge(kept=third, merged=lukasz, reasons="Fictional", acting_user=coordinator.user)
    with pytest.raises(ValidationError, match="has since been merged into another record"):
        person_merge_undo(merge=earlier, reasons="Wrong", acting_user=coordinator.user)
    response = coordinator.post(reverse("people:merge-undo", kwargs={"pk": earlier.pk}), {"reasons": "Wrong"})
    assert "Undo that merge first" in " ".join(error_summary(response))
    earlier.refresh_from_db()
    assert earlier.undone_at is None


def test_searching_from_identify_takes_the_same_queries_however_many_are_found(coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    referral = ReferralFactory(subject_given_name="Nobody", subject_family_name="Else")
    url = reverse("people:identify", kwargs={"reference": referral.reference})
    counts = []
    for first, last in ((0, 1), (1, 4)):
        for number in range(first, last):
            known = PersonFactory(given_name=f"Anna{number}", family_name="Kowalski")
            ReferralFactory(person=known, subject_family_name="Kowalski")
        coordinator.get(url, {"name": "Kowalski"})  # the session settled
        with CaptureQueriesContext(connection) as captured:
            response = coordinator.get(url, {"name": "Kowalski"})
        assert text_of(response).count("Link this referral to Anna") == last
        counts.append(len(captured))
    assert counts[0] == counts[1]
