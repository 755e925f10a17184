"""Which sections of docs/benchmarks.md are older than the code they measure.

    .venv/bin/python benchmarks/stale.py

A section is stale when the code it measures (the benchmark script and the
apps named below) has a commit newer than the section's latest recorded run:
re-run that benchmark (it records a new run; earlier ones stay in the doc).
"""

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, runs  # noqa: E402

# Section → (script, the code it measures besides the shared pieces).
MEASURES = {
    "public-pages": ("public_pages.py", ["prevent_hub/public", "prevent_hub/core"]),
    "audit-view-cost": ("audit_view_cost.py", ["prevent_hub/audit"]),
    "audit-verify": ("audit_verify.py", ["prevent_hub/audit/verify.py", "prevent_hub/audit/chain.py"]),
    "audit-search": ("audit_search.py", ["prevent_hub/audit"]),
    "people-matching": ("people_matching.py", ["prevent_hub/people", "prevent_hub/core/names.py"]),
    "triage-queue": ("triage_queue.py", ["prevent_hub/referrals"]),
    "public-submissions": ("public_submissions.py", ["prevent_hub/referrals"]),
    "channel-pages": ("channel_pages.py", ["prevent_hub/channel"]),
    "panels": ("panels.py", ["prevent_hub/panels"]),
    "agenda-pack-pdf": ("agenda_pack_pdf.py", ["prevent_hub/panels", "prevent_hub/core/pdf.py"]),
    "retention": ("retention.py", ["prevent_hub/records"]),
    "subject-access": ("subject_access.py", ["prevent_hub/rights", "prevent_hub/core/pdf.py"]),
    "venues": ("venues.py", ["prevent_hub/venues"]),
    "complaints": ("complaints.py", ["prevent_hub/complaints", "prevent_hub/core/paging.py",
                                     "prevent_hub/core/quarters.py"]),
    "training": ("training.py", ["prevent_hub/training", "prevent_hub/core/xlsx.py",
                                 "prevent_hub/api/routers/training.py"]),
    "assurance": ("assurance.py", ["prevent_hub/assurance"]),
    "legacy-import": ("legacy_import.py", [
        "prevent_hub/legacy_import/imports.py", "prevent_hub/referrals/services.py",
        "prevent_hub/people/services.py", "prevent_hub/channel/services.py",
        "prevent_hub/audit/services.py"]),
    "statistics": ("year_statistics.py", ["prevent_hub/statistics/selectors.py",
                                          "prevent_hub/statistics/suppression.py", "prevent_hub/reporting"]),
    "training-import": ("training_import.py", ["prevent_hub/training/imports.py",
                                               "prevent_hub/training/services.py",
                                               "prevent_hub/audit/services.py"]),
    "audit-concurrency": ("audit_concurrency.py", ["prevent_hub/audit", "bin/serve"]),
    "load": ("load.py", [
        "benchmarks/locustfile.py", "benchmarks/load_common.py", "config/gunicorn.py", "prevent_hub/channel",
        "prevent_hub/referrals", "prevent_hub/panels", "prevent_hub/people", "prevent_hub/accounts",
        "prevent_hub/api/routers/referrals.py"]),
    "durability": ("durability.py", [
        "benchmarks/load_common.py", "config/gunicorn.py", "prevent_hub/referrals/views/intake.py",
        "prevent_hub/referrals/drafts.py", "prevent_hub/referrals/services.py",
        "prevent_hub/api/routers/referrals.py"]),
    "floor": ("floor.py", ["prevent_hub", "config/settings"]),
    "throughput": ("throughput.py", ["prevent_hub/channel", "prevent_hub/referrals", "prevent_hub/people",
                                     "prevent_hub/panels", "prevent_hub/staff", "prevent_hub/accounts",
                                     "prevent_hub/access", "prevent_hub/audit", "config"]),
    "synthetic-data": ("synthetic_data.py", ["prevent_hub/synthetic", "prevent_hub/audit/services.py"]),
}


def last_change(paths) -> date:
    out = subprocess.run(["git", "log", "-1", "--format=%cI", "--", *paths], cwd=ROOT,  # noqa: S607
                         capture_output=True, text=True, check=True).stdout.strip()
    return datetime.fromisoformat(out).date() if out else date.min


def stale() -> list[tuple[str, date, date]]:
    found = []
    for name, (script, paths) in MEASURES.items():
        measured = date.fromisoformat(runs(name)[-1]["date"])
        changed = last_change([f"benchmarks/{script}", *paths])
        if changed > measured:
            found.append((name, measured, changed))
    return found


if __name__ == "__main__":
    for name, measured, changed in stale():
        print(f"{name}: last run {measured}, code changed {changed}: run benchmarks/{MEASURES[name][0]}")
