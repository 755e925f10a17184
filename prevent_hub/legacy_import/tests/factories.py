"""Made-up rows and files for the import tests (every name obviously fictional)."""

import csv
import io

from prevent_hub.access.roles import Role
from prevent_hub.accounts.tests.factories import UserFactory
from prevent_hub.legacy_import import imports
from prevent_hub.legacy_import.models import ImportStatus, ReferralImport

HEADER = list(imports.COLUMNS)


def row(**values) -> list[str]:
    """A good row (a referral closed with no further action), with `values` changed."""
    good = {"external_reference": "OLD-0001", "received_on": "2023-05-10", "sector": "education",
            "given_name": "Testy", "family_name": "McTestface", "date_of_birth": "2009-01-20",
            "age_at_referral": "", "gender": "male", "ethnicity": "white", "concern": "extreme_right_wing",
            "gateway_outcome": "no_further_action", "panel_discussed_on": "", "adopted_on": "", "consent": "",
            "exit_date": "", "mental_health_or_neurodiversity": "no"}
    unknown = set(values) - set(good)
    assert not unknown, unknown
    good.update(values)
    return [good[name] for name in HEADER]


def channel_row(**values) -> list[str]:
    return row(**{"gateway_outcome": "channel", "panel_discussed_on": "2023-06-01",
                  "adopted_on": "2023-06-01", "consent": "given", "exit_date": "", **values})


def csv_bytes(*rows, header=HEADER, bom=False, newline="\r\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def coordinator(**fields):
    return UserFactory(roles=[Role.PREVENT_COORDINATOR], **fields)


def imported(data: bytes, *, user=None, skip_bad_rows=False) -> ReferralImport:
    """`data` imported as the command does it; the import, refreshed."""
    user = user or coordinator()
    referral_import = imports.referral_import_begin(file_name="earlier.csv", skip_bad_rows=skip_bad_rows,
                                                    acting_user=user)
    imports.referral_import_run(referral_import=referral_import, acting_user=user, data=data)
    referral_import.refresh_from_db()
    return referral_import


def matrix_import_kwargs(user):
    """An import with a report, for the URL × role matrix."""
    made = ReferralImport.objects.create(file_name="earlier.csv", status=ImportStatus.REJECTED,
                                         created_by=coordinator(), total_rows=1, processed_rows=1,
                                         errors=[{"line": 2, "reason": "The date received is missing"}])
    return {"pk": made.pk}
