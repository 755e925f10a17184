"""PDFs drawn with ReportLab (docs/decisions/0012): the fonts and styles, the
pieces every document uses, and the download response. No HTML is
converted, so no browser engine or system libraries are needed.

Names and text in any script print correctly (docs/decisions/0016): the
text is drawn in Noto Sans, and runs of Arabic script (Arabic, Urdu,
Persian…) in Noto Naskh Arabic, after their letters are given their joined
forms (arabic-reshaper) and put in right-to-left order (python-bidi). The
fonts come from npm with the other assets (`npm run build` puts them in
build/static/pdf-fonts) and are embedded, subset, in every PDF.

Everything typed by people is escaped before it reaches ReportLab's
paragraph markup (`paragraph`)."""

import functools
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "PreventHubSans"
FONT_BOLD = "PreventHubSans-Bold"
ARABIC_FONT = "PreventHubNaskh"
ARABIC_FONT_BOLD = "PreventHubNaskh-Bold"
FONT_FILES = {
    FONT: "NotoSans_400Regular.ttf",
    FONT_BOLD: "NotoSans_700Bold.ttf",
    ARABIC_FONT: "NotoNaskhArabic_400Regular.ttf",
    ARABIC_FONT_BOLD: "NotoNaskhArabic_700Bold.ttf",
}
FONT_FOLDER = "pdf-fonts"

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontName=FONT, fontSize=10, leading=14)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=12, textColor=colors.HexColor("#505a5f"))
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontName=FONT_BOLD, fontSize=18, leading=24)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontName=FONT_BOLD, fontSize=13, leading=17,
                    spaceBefore=10)
H3 = ParagraphStyle("h3", parent=_STYLES["Heading3"], fontName=FONT_BOLD, fontSize=11, leading=15,
                    spaceBefore=8, spaceAfter=3)
MARKING = "OFFICIAL-SENSITIVE: share only with people who need to know"
PAGE_MARKING = "OFFICIAL-SENSITIVE"

# Arabic script, including its supplements and presentation forms (which is
# what the reshaper gives back). A run of such letters, with the spaces and
# marks between them, is drawn in the Arabic font.
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC}\\s\u200c\u200d]*[{_ARABIC}])?")
_HAS_ARABIC = re.compile(f"[{_ARABIC}]")
# Keep every mark people typed (harakat) and join lam-alef as one letter.
_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


def _font_path(file_name: str) -> str:
    """A bundled font: in build/static (STATICFILES_DIRS) after `npm run
    build`, or in STATIC_ROOT where only collected files are deployed."""
    found = finders.find(f"{FONT_FOLDER}/{file_name}")
    if found:
        return found
    collected = Path(settings.STATIC_ROOT) / FONT_FOLDER / file_name
    if collected.exists():
        return str(collected)
    raise ImproperlyConfigured(f"The PDF font {file_name} is missing: build the assets with `npm ci && "
                               f"npm run build` (make assets), which copies it into "
                               f"build/static/{FONT_FOLDER}")


@functools.cache
def fonts_registered() -> dict[str, TTFont]:
    """Register the bundled fonts with ReportLab, once per process."""
    fonts = {}
    for name, file_name in FONT_FILES.items():
        fonts[name] = TTFont(name, _font_path(file_name))
        pdfmetrics.registerFont(fonts[name])
    # <b> inside a paragraph picks the bold face of the same family.
    for regular, bold in ((FONT, FONT_BOLD), (ARABIC_FONT, ARABIC_FONT_BOLD)):
        addMapping(regular, 0, 0, regular)
        addMapping(regular, 0, 1, regular)
        addMapping(regular, 1, 0, bold)
        addMapping(regular, 1, 1, bold)
        addMapping(bold, 0, 0, regular)
        addMapping(bold, 1, 0, bold)
    return fonts


def visual(text: str) -> str:
    """A line of text as it is drawn: Arabic-script letters in their joined
    forms and right-to-left runs in the order they are read on the page.
    Text in other scripts comes back as it was. The line's own direction is
    left to right, as in the rest of the document."""
    if not _HAS_ARABIC.search(text):
        return text
    return get_display(_RESHAPER.reshape(text), base_dir="L")


def _markup(line: str, *, bold: bool) -> str:
    """One line as paragraph markup: escaped, Arabic runs in the Arabic font."""
    arabic = ARABIC_FONT_BOLD if bold else ARABIC_FONT
    shown = visual(line)
    parts, last = [], 0
    for run in _ARABIC_RUN.finditer(shown):
        parts.append(escape(shown[last:run.start()]))
        parts.append(f'<font name="{arabic}">{escape(run.group())}</font>')
        last = run.end()
    parts.append(escape(shown[last:]))
    return "".join(parts)


def paragraph(text, style=BODY):
    """Text as typed, escaped, its line breaks kept, in any script.

    A right-to-left run is put in order within its line as typed; a long
    run that ReportLab then wraps over two lines reads line by line in the
    page's (left-to-right) order (docs/decisions/0016)."""
    fonts_registered()
    bold = style.fontName in (FONT_BOLD, ARABIC_FONT_BOLD)
    lines = str(text or "").splitlines() or [""]
    return Paragraph("<br/>".join(_markup(line, bold=bold) for line in lines), style)


def facts_table(rows):
    """(label, value) rows, one under the other."""
    table = Table([[paragraph(label, SMALL), paragraph(value)] for label, value in rows],
                  colWidths=[45 * mm, 125 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def bullet_list(title, entries):
    if not entries:
        return []
    return [paragraph(title, SMALL), *[paragraph(f"• {entry}") for entry in entries]]


class _MarkedCanvas(Canvas):
    """Marks every page OFFICIAL-SENSITIVE at the top and bottom and numbers
    it "Page 3 of 12": the pages are kept until the document is finished, so
    the total is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self._mark(number, total)
            super().showPage()
        super().save()

    def _mark(self, number, total):
        width, height = self._pagesize
        self.saveState()
        self.setFont(FONT_BOLD, 8)
        self.drawCentredString(width / 2, height - 10 * mm, PAGE_MARKING)
        self.drawString(20 * mm, 10 * mm, PAGE_MARKING)
        self.setFont(FONT, 8)
        self.drawRightString(width - 20 * mm, 10 * mm, f"Page {number} of {total}")
        self.restoreState()


def build(title, flowables) -> bytes:
    """An A4 PDF of `flowables`, every page marked OFFICIAL-SENSITIVE (top and
    bottom) and numbered "Page n of N"."""
    fonts_registered()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Prevent Hub",
                                 leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm)
    document.build(flowables, canvasmaker=_MarkedCanvas)
    return buffer.getvalue()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download, never kept by a browser or proxy cache."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
