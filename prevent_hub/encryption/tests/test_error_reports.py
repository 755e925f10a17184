"""Error reports (logged, or emailed to admins) carry no values: neither what
was posted nor the local variables of the failing code."""

import sys

from django.test import RequestFactory
from django.views.debug import ExceptionReporter, get_default_exception_reporter_filter

# Built here, so the source lines an error report quotes do not hold it.
MARKER = "-".join(["Qz", "posted", "concern", "marker!"])


def _report_text():
    request = RequestFactory().post("/intake/practitioner/the-concern", {"concern_description": MARKER})
    concern = MARKER  # noqa: F841 - a local variable the report must not show
    try:
        raise ValueError("boom")
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        return reporter.get_traceback_text(), reporter.get_traceback_html()


def test_error_reports_hide_posted_values_and_local_variables():
    text, html = _report_text()
    assert "concern_description" in text  # the field's name is shown: it helps, and reveals nothing
    assert MARKER not in text
    assert MARKER not in html
    assert type(get_default_exception_reporter_filter()).__name__ == "NoValuesExceptionReporterFilter"
