"""PDFs drawn with ReportLab (docs/decisions/0012): the styles, the pieces
every document uses, and the download response. No HTML is converted, so no
browser engine or system libraries are needed.

Everything typed by people is escaped before it reaches ReportLab's
paragraph markup (`paragraph`)."""

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11, textColor=colors.HexColor("#505a5f"))
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontName="Helvetica-Bold", fontSize=18, leading=22)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontName="Helvetica-Bold", fontSize=13, leading=16,
                    spaceBefore=10)
MARKING = "OFFICIAL-SENSITIVE: share only with people who need to know"


def paragraph(text, style=BODY):
    """Text as typed, escaped, its line breaks kept."""
    lines = escape(str(text or "")).splitlines() or [""]
    return Paragraph("<br/>".join(lines), style)


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


def _page(canvas, document):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(20 * mm, 10 * mm, MARKING)
    canvas.drawRightString(190 * mm, 10 * mm, f"{document.title} — page {document.page}")
    canvas.restoreState()


def build(title, flowables) -> bytes:
    """An A4 PDF of `flowables`, each page marked OFFICIAL-SENSITIVE and numbered."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Prevent Hub",
                                 leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm)
    document.build(flowables, onFirstPage=_page, onLaterPages=_page)
    return buffer.getvalue()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download, never kept by a browser or proxy cache."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
