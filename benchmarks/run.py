"""Run every benchmark and update docs/benchmarks.md (`make bench`)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["public_pages.py", "audit_view_cost.py", "audit_verify.py", "audit_search.py",
              "people_matching.py", "triage_queue.py", "public_submissions.py", "channel_pages.py",
              "panels.py", "agenda_pack_pdf.py", "retention.py", "venues.py", "complaints.py",
              "training.py", "training_import.py", "assurance.py", "year_statistics.py",
              "legacy_import.py", "audit_concurrency.py", "load.py", "durability.py",
              "synthetic_data.py", "floor.py", "throughput.py"]

if __name__ == "__main__":
    failed = []
    for script in BENCHMARKS:
        print(f"\n### {script}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script)], check=False).returncode:  # noqa: S603
            failed.append(script)
    if failed:
        print(f"\nMissed targets: {', '.join(failed)}")
    sys.exit(1 if failed else 0)
