"""PDFs of the agenda pack and the minutes, drawn with ReportLab (core.pdf)
from the same content as the print pages (panels.pack)."""

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from prevent_hub.core.pdf import H1, H2, MARKING, SMALL, build, bullet_list, facts_table, paragraph


def _withheld(entry):
    return [paragraph(f"Item {entry['position']}", H2),
            paragraph("Not shared with you: you are not invited to discuss this case.", SMALL)]


def agenda_pack_pdf(pack: dict) -> bytes:
    flowables = [paragraph(pack["title"], H1), paragraph(MARKING, SMALL), Spacer(1, 4 * mm),
                 facts_table(pack["facts"])]
    if not pack["items"]:
        flowables.append(paragraph("There is nothing on the agenda yet."))
    for entry in pack["items"]:
        if not entry["visible"]:
            flowables += _withheld(entry)
            continue
        block = [paragraph(f"Item {entry['position']}: {entry['title']}", H2), facts_table(entry["facts"])]
        block += bullet_list("Invited for this item", entry["invitees"])
        block += bullet_list("Open actions", entry["open_actions"])
        if entry["last_review"]:
            block += [paragraph("Last panel review", SMALL), paragraph(entry["last_review"])]
        flowables.append(KeepTogether(block[:2]))
        flowables += block[2:]
    return build(pack["title"], flowables)


def minutes_pdf(document: dict) -> bytes:
    flowables = [paragraph(document["title"], H1), paragraph(document["status"], SMALL),
                 paragraph(MARKING, SMALL), Spacer(1, 4 * mm), facts_table(document["facts"]),
                 paragraph("Attendance", H2)]
    if document["attendance"]:
        flowables.append(facts_table([
            (row["name"], f"{row['organisation']} ({row['organisation_type']})"
             + (f", police for {row['police_area']}" if row["police_area"] else "")
             + (f", for item {row['item']}" if row["item"] else ""))
            for row in document["attendance"]]))
    else:
        flowables.append(paragraph("No attendance recorded."))
    if document["general_notes"]:
        flowables += [paragraph("General notes", H2), paragraph(document["general_notes"])]
    for written, text in document["general_addenda"]:
        flowables.append(paragraph(f"Addendum, {written}: {text}", SMALL))
    for entry in document["items"]:
        if not entry["visible"]:
            flowables += _withheld(entry)
            continue
        flowables += [paragraph(f"Item {entry['position']}: {entry['title']}", H2),
                      paragraph(entry["minute"] or "No decision recorded.")]
        for written, text in entry["addenda"]:
            flowables.append(paragraph(f"Addendum, {written}: {text}", SMALL))
    return build(document["title"], flowables)
