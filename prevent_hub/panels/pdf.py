"""PDFs of the agenda pack and the minutes, drawn with ReportLab from the
same content as the print pages (panels.pack). No HTML is converted, so no
browser engine or system libraries are needed (docs/decisions/0012).

Everything typed by people is escaped before it reaches ReportLab's
paragraph markup.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11, textColor=colors.HexColor("#505a5f"))
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontName="Helvetica-Bold", fontSize=18, leading=22)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontName="Helvetica-Bold", fontSize=13, leading=16,
                    spaceBefore=10)
MARKING = "OFFICIAL-SENSITIVE: share only with people who need to know"


def _p(text, style=BODY):
    lines = escape(str(text or "")).splitlines() or [""]
    return Paragraph("<br/>".join(lines), style)


def _facts(rows):
    table = Table([[_p(label, SMALL), _p(value)] for label, value in rows], colWidths=[45 * mm, 125 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _list(title, entries):
    if not entries:
        return []
    return [_p(title, SMALL), *[_p(f"• {entry}") for entry in entries]]


def _page(canvas, document):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(20 * mm, 10 * mm, MARKING)
    canvas.drawRightString(190 * mm, 10 * mm, f"{document.title} — page {document.page}")
    canvas.restoreState()


def _build(title, flowables) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Prevent Hub",
                                 leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm)
    document.build(flowables, onFirstPage=_page, onLaterPages=_page)
    return buffer.getvalue()


def _withheld(entry):
    return [_p(f"Item {entry['position']}", H2),
            _p("Not shared with you: you are not invited to discuss this case.", SMALL)]


def agenda_pack_pdf(pack: dict) -> bytes:
    flowables = [_p(pack["title"], H1), _p(MARKING, SMALL), Spacer(1, 4 * mm), _facts(pack["facts"])]
    if not pack["items"]:
        flowables.append(_p("There is nothing on the agenda yet."))
    for entry in pack["items"]:
        if not entry["visible"]:
            flowables += _withheld(entry)
            continue
        block = [_p(f"Item {entry['position']}: {entry['title']}", H2), _facts(entry["facts"])]
        block += _list("Invited for this item", entry["invitees"])
        block += _list("Open actions", entry["open_actions"])
        if entry["last_review"]:
            block += [_p("Last panel review", SMALL), _p(entry["last_review"])]
        flowables.append(KeepTogether(block[:2]))
        flowables += block[2:]
    return _build(pack["title"], flowables)


def minutes_pdf(document: dict) -> bytes:
    flowables = [_p(document["title"], H1), _p(document["status"], SMALL), _p(MARKING, SMALL),
                 Spacer(1, 4 * mm), _facts(document["facts"]), _p("Attendance", H2)]
    if document["attendance"]:
        flowables.append(_facts([
            (row["name"], f"{row['organisation']} ({row['organisation_type']})"
             + (f", police for {row['police_area']}" if row["police_area"] else "")
             + (f", for item {row['item']}" if row["item"] else ""))
            for row in document["attendance"]]))
    else:
        flowables.append(_p("No attendance recorded."))
    if document["general_notes"]:
        flowables += [_p("General notes", H2), _p(document["general_notes"])]
    for written, text in document["general_addenda"]:
        flowables.append(_p(f"Addendum, {written}: {text}", SMALL))
    for entry in document["items"]:
        if not entry["visible"]:
            flowables += _withheld(entry)
            continue
        flowables += [_p(f"Item {entry['position']}: {entry['title']}", H2),
                      _p(entry["minute"] or "No decision recorded.")]
        for written, text in entry["addenda"]:
            flowables.append(_p(f"Addendum, {written}: {text}", SMALL))
    return _build(document["title"], flowables)
