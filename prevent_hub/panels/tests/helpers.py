"""Plain helpers shared by the panels service tests. Everything here is fictional."""

import base64
import datetime
import re
import zlib

from django.utils import timezone

from prevent_hub.panels.models import DecisionMethod


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def at(day: datetime.date, hour: int = 7) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def decide(item, decision, *, acting_user=None, method=DecisionMethod.CONSENSUS,
           reasons="Fictional reasons agreed by the panel.", **kwargs):
    from prevent_hub.panels.decisions import item_decide

    return item_decide(item=item, decision=decision, decision_method=method, reasons=reasons,
                       acting_user=acting_user or item.meeting.panel.chair, **kwargs)


_TOKEN = re.compile(rb"\((?P<text>(?:\\.|[^\\)])*)\)\s*Tj|(?P<break>T\*)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_NAMED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    def one(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return _NAMED.get(code, code)

    return _ESCAPE.sub(one, raw)


def pdf_text(data: bytes) -> str:
    """The text ReportLab drew, line by line (its content streams are
    ASCII85 and Flate encoded; strings are WinAnsi)."""
    lines = []
    streams = re.findall(rb"/Filter \[ /ASCII85Decode /FlateDecode \].*?stream\r?\n(.*?)endstream", data,
                         re.S)
    for body in streams:
        body = body.strip()
        body = body[:-2] if body.endswith(b"~>") else body
        content = zlib.decompress(base64.a85decode(body))
        line = b""
        for match in _TOKEN.finditer(content):
            if match.group("break"):
                lines.append(line.decode("cp1252", errors="replace"))
                line = b""
            else:
                line += _unescape(match.group("text"))
        if line:
            lines.append(line.decode("cp1252", errors="replace"))
    return "\n".join(lines)


def decided_at_a_meeting(case, decision, *, review=None, **kwargs):
    """`decision` on `case`, taken at a panel meeting held today with the
    police present: how a test gets a case past a step only the panel takes."""
    from prevent_hub.panels.models import AgendaReason
    from prevent_hub.panels.tests.factories import PanelMeetingFactory, item_add, police_present

    meeting = PanelMeetingFactory(date=timezone.localdate())
    police_present(meeting, area=case.area or meeting.panel.area)
    reason = AgendaReason.POST_EXIT_REVIEW_DUE if review is not None else AgendaReason.ADDED_BY_CHAIR
    return decide(item_add(meeting, case, reason=reason, review=review), decision, **kwargs)
