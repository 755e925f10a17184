"""PDFs of the agenda pack and the minutes, drawn with ReportLab (core.pdf)
from the same content as the print pages (panels.pack).

The agenda pack is a document the chair can run the meeting from: a cover
page (the meeting and the list of items), the attendance, then each item on
a page of its own. Every page is marked OFFICIAL-SENSITIVE and numbered."""

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from prevent_hub.core.pdf import (
    H1,
    H2,
    H3,
    MARKING,
    PAGE_MARKING,
    SMALL,
    build,
    bullet_list,
    facts_table,
    paragraph,
)

WITHHELD = "Not shared with you: you are not invited to discuss this case."


def _withheld(entry):
    return [paragraph(f"Item {entry['position']}", H2), paragraph(WITHHELD, SMALL)]


def _items_table(items):
    rows = [[paragraph("Item", SMALL), paragraph("Case", SMALL), paragraph("Why it is on the agenda", SMALL)]]
    for entry in items:
        if entry["visible"]:
            item = entry["item"]
            rows.append([paragraph(str(entry["position"])), paragraph(item.case.reference),
                         paragraph(item.get_reason_display())])
        else:
            rows.append([paragraph(str(entry["position"])), paragraph("Not shared with you"), paragraph("")])
    table = Table(rows, colWidths=[14 * mm, 50 * mm, 106 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _cover(pack):
    flowables = [paragraph(PAGE_MARKING, H2), paragraph(pack["title"], H1), paragraph(MARKING, SMALL),
                 Spacer(1, 4 * mm), facts_table(pack["facts"]), paragraph("Items", H2)]
    if not pack["items"]:
        return [*flowables, paragraph("There is nothing on the agenda yet.")]
    flowables.append(_items_table(pack["items"]))
    if pack["withheld"]:
        flowables.append(paragraph(f"You see the items you are invited to discuss; {pack['withheld']} "
                                   f"{'item is' if pack['withheld'] == 1 else 'items are'} not shared with "
                                   f"you.", SMALL))
    return flowables


def _attendance_recorded(attendance, nothing: str):
    """Present, then apologies: each person with their attendance line."""
    if not (attendance["present"] or attendance["apologies"]):
        return [paragraph(nothing)]
    flowables = []
    for heading, rows in (("Present", attendance["present"]), ("Apologies", attendance["apologies"])):
        if rows:
            flowables += [paragraph(heading, H3), facts_table([(row.name, row.line) for row in rows])]
    return flowables


def _attendance(pack):
    flowables = [paragraph("Attendance", H2), paragraph("Expected", H3)]
    if pack["expected"]:
        flowables.append(facts_table([(person["name"], person["organisation"])
                                      for person in pack["expected"]]))
    else:
        flowables.append(paragraph("Nobody yet."))
    return flowables + _attendance_recorded(pack["attendance"], "No attendance recorded yet.")


def _briefing(briefing):
    flowables = []
    if briefing["reads_record"]:
        referral = briefing["referral"]
        rows = [("Referral", f"{referral['reference']}, received {referral['received']}"),
                ("Referred by", referral["referred_by"]),
                ("What the referrer says it involves", "\n".join(referral["involves"]) or "Nothing selected")]
        if referral["when"]:
            rows.append(("When it happened", referral["when"]))
        rows.append(("What the referral says", referral["concern"]
                     + ("\n(Shortened here: the whole referral is in the case record.)"
                        if referral["shortened"] else "")))
        flowables += [paragraph("The referral and the concern", H3), facts_table(rows),
                      paragraph("Latest completed assessment", H3)]
        assessment = briefing["assessment"]
        if assessment:
            flowables.append(paragraph(f"{assessment['kind']}, {assessment['assessed_on']} (completed "
                                       f"{assessment['completed']}). The full assessment is in the case "
                                       f"record.", SMALL))
            for judgement in assessment["judgements"]:
                flowables.append(KeepTogether([
                    paragraph(judgement["dimension"], H3), paragraph(judgement["judgement"]),
                    paragraph(f"Written by {judgement['author']} on {judgement['written']}", SMALL)]))
        else:
            flowables.append(paragraph("No assessment of this case has been completed yet."))
    plan = briefing["plan"]
    providers = "\n".join(plan["providers"]) or ("None yet" if plan["id"] else "No support plan yet")
    flowables += [paragraph("The support plan so far", H3), facts_table([
        ("Providers", providers),
        ("Sessions", f"{plan['sessions_held']} held, {plan['sessions_missed']} missed"),
    ])]
    flowables += bullet_list("Your actions" if plan["only_own_actions"] else "Actions", plan["action_lines"])
    flowables.append(paragraph("Last review", H3))
    review = briefing["last_review"]
    if review:
        flowables.append(paragraph(f"{review['kind']}, {review['completed']}"))
        if review["outcome"]:
            flowables.append(paragraph(review["outcome"]))
    else:
        flowables.append(paragraph("No review has been completed yet."))
    return flowables


def _item_section(entry):
    if not entry["visible"]:
        return _withheld(entry)
    flowables = [paragraph(f"Item {entry['position']}: {entry['title']}", H2), facts_table(entry["facts"])]
    flowables += bullet_list("Invited for this item", entry["invitees"])
    return flowables + _briefing(entry["briefing"])


def agenda_pack_pdf(pack: dict) -> bytes:
    flowables = _cover(pack)
    flowables += [PageBreak(), *_attendance(pack)]
    for entry in pack["items"]:
        flowables += [PageBreak(), *_item_section(entry)]
    return build(pack["title"], flowables)


def minutes_pdf(document: dict) -> bytes:
    flowables = [paragraph(document["title"], H1), paragraph(document["status"], SMALL),
                 paragraph(MARKING, SMALL), Spacer(1, 4 * mm), facts_table(document["facts"]),
                 paragraph("Attendance", H2)]
    flowables += _attendance_recorded(document["attendance"], "No attendance recorded.")
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
