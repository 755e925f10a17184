"""The agenda pack PDF as a chair uses it: a cover page, the attendance, each
item on a page of its own, every page numbered and marked, and names in any
script printed correctly. Every name here is fictional."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from reportlab.pdfgen.textobject import PDFTextObject

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.channel.models import CaseStatus
from prevent_hub.channel.tests.factories_reviews import case_in
from prevent_hub.core.formatting import govuk_time
from prevent_hub.core.pdf import _RESHAPER, ARABIC_FONT, FONT, fonts_registered, visual
from prevent_hub.panels.models import ItemInvitee
from prevent_hub.panels.pack import agenda_pack
from prevent_hub.panels.pdf import agenda_pack_pdf
from prevent_hub.panels.services import attendance_record
from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, member_add
from prevent_hub.people.tests.factories import PersonFactory

from .helpers import days, pdf_pages

pytestmark = pytest.mark.django_db

ARABIC = ("يوسف", "المثال")
URDU = ("عائشہ", "فرضی")
POLISH = ("Zażółć", "Gęślą-Jaźń")
TURKISH = ("Ğülşen", "Işıkçı")


def _full(name):
    return " ".join(name)


@pytest.fixture
def meeting():
    return PanelMeetingFactory(date=days(2), location="Committee Room 2, Fictional County Hall")


@pytest.fixture
def agenda(meeting):
    """Four items, one for each fictional name, and the same names as attendees."""
    items = []
    for given, family in (ARABIC, URDU, POLISH, TURKISH):
        case = case_in(CaseStatus.SUPPORT, person=PersonFactory(given_name=given, family_name=family))
        items.append(item_add(meeting, case))
    chair = meeting.panel.chair
    for given, family in (ARABIC, URDU, POLISH, TURKISH):
        member_add(meeting.panel, UserFactory(roles=[Role.PANEL_MEMBER], full_name=f"{given} {family}"))
        attendance_record(meeting=meeting, name=f"{given} {family}", organisation_name="Fictional Trust",
                          organisation_type="other", acting_user=chair)
    return items


@pytest.fixture
def drawn(monkeypatch):
    """Every piece of text the PDF draws, with the font it is drawn in."""
    runs = []
    original = PDFTextObject._formatText

    def recording(self, text):
        runs.append((self._fontname, text))
        return original(self, text)

    monkeypatch.setattr(PDFTextObject, "_formatText", recording)
    return runs


def _pdf(meeting, user):
    return agenda_pack_pdf(agenda_pack(meeting=meeting, user=user))


def test_the_cover_names_the_meeting_and_lists_the_items(meeting, agenda):
    pages = pdf_pages(_pdf(meeting, meeting.panel.chair))
    cover = pages[0]
    for expected in (f"Agenda pack: {meeting.panel.name}", meeting.panel.name, govuk_time(meeting.start_time),
                     "Committee Room 2, Fictional County Hall", meeting.panel.chair.full_name,
                     "OFFICIAL-SENSITIVE", *[item.case.reference for item in agenda]):
        assert expected in cover, expected
    assert "Attendance" in pages[1]


def test_every_page_is_numbered_and_marked(meeting, agenda):
    pages = pdf_pages(_pdf(meeting, meeting.panel.chair))
    assert len(pages) == 2 + len(agenda)  # cover, attendance, one page (at least) per item
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert text.count("OFFICIAL-SENSITIVE") >= 2  # top and bottom


def test_each_item_starts_on_a_page_of_its_own(meeting, agenda):
    pages = pdf_pages(_pdf(meeting, meeting.panel.chair))
    for position, item in enumerate(agenda, start=1):
        heading = f"Item {position}: {item.case.reference}"
        starts = [index for index, text in enumerate(pages) if heading in text]
        assert len(starts) == 1
        assert all(f"Item {other}:" not in pages[starts[0]] for other in range(1, 5) if other != position)


def test_polish_and_turkish_names_print_exactly(meeting, agenda):
    pages = pdf_pages(_pdf(meeting, meeting.panel.chair))
    attendance, items = pages[1], pages[2:]
    for name in (POLISH, TURKISH):
        assert _full(name) in attendance
        assert any(_full(name) in text for text in items)


def test_arabic_and_urdu_names_are_shaped_and_every_letter_is_in_the_font(meeting, agenda, drawn):
    data = _pdf(meeting, meeting.panel.chair)
    arabic_font = fonts_registered()[ARABIC_FONT]
    covered = arabic_font.face.charToGlyph
    drawn_in_arabic = "".join(text for font, text in drawn if font.startswith("PreventHubNaskh"))
    assert drawn_in_arabic
    # Every letter drawn in the Arabic font has a glyph in it (nothing falls back to a box).
    assert not [char for char in drawn_in_arabic if not char.isspace() and ord(char) not in covered]
    # Nothing in Arabic script is drawn in the Latin font.
    latin = "".join(text for font, text in drawn
                    if font.startswith(FONT) and not font.startswith(ARABIC_FONT))
    assert not re.search("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]", latin)
    for name in (ARABIC, URDU):
        shaped = visual(_full(name))
        # Joined forms (presentation forms), not the letters as typed, and right to left.
        assert shaped != _full(name) and shaped[::-1] == _RESHAPER.reshape(_full(name))
        assert all(0xFB50 <= ord(char) <= 0xFEFF for char in shaped.replace(" ", ""))
        assert any(shaped in text for font, text in drawn if font.startswith("PreventHubNaskh")), name
        # A reader copying the text gets the name back, in reading order.
        copied = _RESHAPER.reshape(_full(name))
        assert sum(copied in text for text in pdf_pages(data)) >= 2  # the attendance and the item
    assert b"NotoNaskhArabic-Regular" in data and b"NotoSans-Regular" in data


def test_a_withheld_item_shows_only_its_number(staff_client, meeting, agenda):
    client = staff_client(Role.PANEL_MEMBER)
    shown, hidden = agenda[2], agenda[3]
    ItemInvitee.objects.create(item=shown, user=client.user, name=client.user.full_name,
                               organisation_name="Fictional Trust", invited_at=timezone.now(),
                               invited_by=meeting.panel.chair)
    response = client.get(reverse("panels:agenda-pack-pdf", kwargs={"pk": meeting.pk}))
    pages = pdf_pages(response.content)
    text = "\n".join(pages)
    assert shown.case.reference in text and _full(POLISH) in text
    assert hidden.case.reference not in text, text[text.index(hidden.case.reference) - 300:][:400]
    # The Turkish name is a standing member's, so it is in the attendance, but not in any item.
    assert not [page for page in pages if "Item " in page and _full(TURKISH) in page]
    withheld = [page for page in pages if "Item 4" in page and "Not shared with you" in page]
    assert len(withheld) == 1
    assert re.sub(r"OFFICIAL-SENSITIVE|Page \d+ of \d+|\s", "", withheld[0]) == (
        "Item4Notsharedwithyou:youarenotinvitedtodiscussthiscase.")
