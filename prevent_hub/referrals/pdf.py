"""A referral as a PDF (core.pdf): for the practitioner who sent it, and for
a coordinator to send to counter-terrorism police through the secure route.
The same sections as the referral's page (referrals.summary)."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from prevent_hub.core.pdf import H1, H2, MARKING, SMALL, build, facts_table, paragraph

from .summary import NOT_GIVEN, referral_heading_facts, referral_sections


def referral_pdf(referral) -> bytes:
    title = f"Prevent referral {referral.reference}"
    flowables = [paragraph(title, H1), paragraph(MARKING, SMALL), Spacer(1, 4 * mm),
                 facts_table(referral_heading_facts(referral))]
    for section, rows in referral_sections(referral):
        rows = [(label, text if str(text).strip() else NOT_GIVEN) for label, text in rows]
        flowables += [paragraph(section, H2), facts_table(rows)]
    attachments = [attachment.original_name for attachment in referral.attachments.all()]
    flowables += [paragraph("Attachments", H2), paragraph("\n".join(attachments) or "None")]
    if attachments:
        flowables.append(paragraph("The files themselves are not in this PDF: download them from the "
                                   "referral's page.", SMALL))
    return build(title, flowables)
