"""A frozen bundle as it is read and released: redactions laid over the
document, values made readable, and the PDF and JSON downloads.

Redactions are overlays: the frozen document never changes; each
redaction names an item and a field, and every rendering (page, PDF, JSON)
puts "[Redacted: reason]" in place of the content."""

import copy
import datetime
import json

from prevent_hub.core.formatting import govuk_date, govuk_datetime
from prevent_hub.core.pdf import H1, H2, H3, MARKING, PAGE_MARKING, SMALL, build, facts_table, paragraph

from .models import REDACTED_AS


def redactions_applied(document: dict, redactions) -> dict:
    """A copy of `document` with each live redaction in place of its field:
    the value becomes "[Redacted: reason]" and the field is marked."""
    by_field = {(r.item_key, r.field_key): r for r in redactions if r.removed_at is None}
    shown = copy.deepcopy(document)
    if not by_field:
        return shown
    for section in shown["sections"]:
        for item in section["items"]:
            for row in item["fields"]:
                redaction = by_field.get((item["key"], row["key"]))
                if redaction is not None:
                    row["value"] = f"[Redacted: {REDACTED_AS[redaction.reason]}]"
                    row["redacted"] = True
    return shown


def display(value) -> str:
    """A document value as a reader sees it."""
    if value is None or value == "":
        return "Not recorded"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return "; ".join(display(each) for each in value) or "None"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {display(each)}" for key, each in value.items()) or "None"
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if "T" in value:
                return govuk_datetime(datetime.datetime.fromisoformat(value))
            if len(value) == 10:
                return govuk_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def parts_of(document: dict) -> list[dict]:
    """Sections grouped by part, in order: [{"title", "sections"}]."""
    parts: list[dict] = []
    for section in document["sections"]:
        if not parts or parts[-1]["title"] != section["part"]:
            parts.append({"title": section["part"], "sections": []})
        parts[-1]["sections"].append(section)
    return parts


def anchor(item_key: str) -> str:
    """The id of an item on the bundle page: "channel.note:12" → "channel-note-12"."""
    return item_key.replace(":", "-").replace(".", "-")


def field_in(document: dict, item_key: str, field_key: str) -> tuple[dict, dict] | None:
    """(item, field) of the document, or None if it has no such field."""
    for section in document["sections"]:
        for item in section["items"]:
            if item["key"] == item_key:
                for row in item["fields"]:
                    if row["key"] == field_key:
                        return item, row
    return None


def bundle_json(document: dict, *, status: str) -> bytes:
    return json.dumps({"status": status, **document}, ensure_ascii=False, indent=2).encode()


def bundle_pdf(document: dict, *, title: str, status: str, facts=()) -> bytes:
    """The bundle as a readable PDF: a cover, then each part, section and
    record, every page marked OFFICIAL-SENSITIVE and numbered."""
    flowables = [paragraph(PAGE_MARKING, H2), paragraph(title, H1), paragraph(MARKING, SMALL),
                 paragraph(status, SMALL)]
    cover = [("Produced", display(document["produced_at"]))]
    if document.get("request"):
        cover.insert(0, ("Request", document["request"]))
    flowables.append(facts_table([*cover, *facts]))
    for part in parts_of(document):
        flowables.append(paragraph(part["title"], H2))
        for section in part["sections"]:
            flowables.append(paragraph(f"{section['title']} ({len(section['items'])})", H3))
            if not section["items"]:
                flowables.append(paragraph("None held.", SMALL))
            for item in section["items"]:
                flowables.append(paragraph(item["title"], SMALL))
                rows = [(row["label"], display(row["value"])) for row in item["fields"]]
                flowables.append(facts_table(rows))
    return build(title, flowables)
