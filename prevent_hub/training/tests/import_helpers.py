"""Spreadsheets of made-up completions for the import tests."""

import csv
import io

from prevent_hub.training import imports
from prevent_hub.training.models import ImportStatus, TrainingImport

from .factories import administrator

HEADER = list(imports.COLUMNS)


def row(name="Alex Example-Teacher", email="alex.teacher@example.test",
        organisation="Fictional Primary School (demo)", role="Teacher", course="prevent-awareness",
        completed_on="2025-09-08", certificate_reference="HO-000001"):
    return [name, email, organisation, role, course, completed_on, certificate_reference]


def csv_bytes(*rows, header=HEADER, bom=False, newline="\r\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def matrix_import_kwargs(user):
    """A checked import, for the URL × role matrix."""
    made = TrainingImport.objects.create(file_name="training.csv", status=ImportStatus.REJECTED,
                                         uploaded_by=administrator(), total_rows=1, processed_rows=1,
                                         errors=[{"line": 2, "reason": "The course is missing"}])
    return {"pk": made.pk}
