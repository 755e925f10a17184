"""Every model that holds personal data (records.coverage.COVERED, which a
test holds to every model in the product) is read by the subject access
bundle (rights.bundle.SEARCHED_MODELS) or says why not (NOT_SEARCHED): so a
part built later (venue hire, complaints, training) cannot be left out of
either retention or a subject access request."""

from prevent_hub.records.coverage import COVERED
from prevent_hub.rights.bundle import NOT_SEARCHED, SEARCHED_MODELS


def test_every_model_retention_deletes_is_searched_by_a_subject_access_request():
    missing = sorted(set(COVERED) - set(SEARCHED_MODELS) - set(NOT_SEARCHED))
    assert missing == [], ("These models hold personal data but a subject access request does not read "
                           f"them: add them to rights.bundle.SOURCES (or NOT_SEARCHED, with why): {missing}")


def test_what_is_left_out_of_a_bundle_is_few_and_says_why():
    left_out = set(COVERED) & set(NOT_SEARCHED)
    assert left_out <= {"referrals.ReferralDraft", "rights.SubjectAccessBundle", "rights.Redaction",
                        "rights.VenueBookingLink", "venues.BookingDraft",
                        "records.LegalHold",
                        # complaints: subject access
                        "rights.ComplaintLink",
                        # training records: subject access (the learners themselves are searched)
                        "rights.LearnerLink"}
    assert all(NOT_SEARCHED[label].strip() for label in left_out)
