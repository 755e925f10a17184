"""Until when a Channel case is kept, by the retention policy that applies
to how it ended (retention.RecordType), counted from the day it ended."""

import datetime

from prevent_hub.retention.models import RecordType, RetentionPolicy
from prevent_hub.retention.selectors import retain_until

from .models import CaseStatus, ChannelCase, ClosureReason


def case_retention(case: ChannelCase, today: datetime.date) -> tuple[datetime.date | None,
                                                                    RetentionPolicy | None]:
    """The case's retain_until and policy for the status it has just moved
    to: none while it is open or in post-exit reviews' way back to support;
    a date once not adopted, exited or closed. A date already set by how the
    case ended (not adopted, exited) stands when it later closes."""
    status = case.status
    if status == CaseStatus.NOT_ADOPTED:
        return retain_until(RecordType.CASE_NOT_ADOPTED, today)
    if status == CaseStatus.EXITED:
        return retain_until(RecordType.CASE_EXITED_OR_TRANSFERRED, case.exit_date or today)
    if status != CaseStatus.CLOSED:
        return None, None
    if case.closure_reason == ClosureReason.TRANSFERRED:
        return retain_until(RecordType.CASE_EXITED_OR_TRANSFERRED, today)
    if case.retain_until is not None:
        return case.retain_until, case.retention_policy
    if case.closure_reason == ClosureReason.NOT_ADOPTED:
        return retain_until(RecordType.CASE_NOT_ADOPTED, today)
    if case.exit_date is not None:
        return retain_until(RecordType.CASE_EXITED_OR_TRANSFERRED, case.exit_date)
    return retain_until(RecordType.CASE_CLOSED_OTHERWISE, today)
