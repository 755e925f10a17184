"""No secret in the repository: detect-secrets over every tracked file, against a reviewed baseline.

`.secrets.baseline` lists what the scanner flags today, every entry audited as a false positive
(`"is_secret": false`) with the reason in REVIEWED below. A new finding in any tracked file
(`git ls-files`) fails with its file and line. Lock files are excluded by a pattern kept in the
baseline's settings: their thousands of hashes are not secrets.

To keep this to seconds rather than minutes, a file's lines are only handed to detect-secrets
if some plugin could fire on them: a regex plugin's own pattern matches, a keyword of the
keyword plugin is there, or there is a run of a high-entropy plugin's characters long enough
to pass its entropy limit (a string of n characters has at most log2(n) bits of entropy). The
other lines are left out (and the line numbers of findings mapped back). A full scan of every
tracked file takes minutes here, so the shortcut is checked against one on the files with every
kind of finding in the baseline, and a planted key
(test_the_shortcut_loses_nothing_on_files_with_every_kind_of_finding).

When it fails: if the finding is a real secret, rotate it first (docs/security.md, "When a secret
is committed"), then remove it. If it is not a secret, update and audit the baseline:

    .venv/bin/detect-secrets scan --baseline .secrets.baseline
    .venv/bin/detect-secrets audit .secrets.baseline

and add the file with the reason to REVIEWED here.
"""

import json
import math
import re
import subprocess
from pathlib import Path

import pytest
from detect_secrets import SecretsCollection
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
from detect_secrets.plugins.keyword import DENYLIST, KeywordDetector
from detect_secrets.settings import get_plugins, transient_settings
from detect_secrets.transformers import get_transformed_file

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".secrets.baseline"

# Every file with a baseline entry, and why what the scanner saw there is not a secret.
REVIEWED = {
    ".ci/run": "a made-up SMTP user:password in the URL CI gives `check --deploy`, to a .example host",
    "docs/security-asvs.md": "the ASVS map naming a common password the tests show refused",
    "README.md": "the documented shape of DATABASE_URL: user:password@db.internal",
    "benchmarks/load_common.py": "the password of fictional load-test accounts on a scratch database",
    "config/settings/base.py": "a comment showing EMAIL_URL's shape: user:password@smtp.example.org",
    "config/settings/benchmark.py": "the benchmark settings' fixed SECRET_KEY, never used in production "
    "(production refuses it: config/secret_key.py)",
    "config/settings/test.py": "the test settings' fixed SECRET_KEY, never used in production",
    "docs/deployment.md": "the documented shape of EMAIL_URL: user:password@smtp.shireford.example",
    "docs/synthetic-data.md": "the demo accounts' published password (demo mode only; production refuses it)",
    "prevent_hub/accounts/tests/factories.py": "the password of test users",
    "prevent_hub/accounts/tests/test_password_change.py": "wrong and mismatched passwords typed in tests",
    "prevent_hub/accounts/tests/test_password_reset.py": (
        "new, short, common and wrong passwords typed in tests"),
    "prevent_hub/accounts/tests/test_sign_in.py": "a wrong password typed in a test",
    "prevent_hub/core/demo.py": "the demo accounts' published password (demo mode only; production "
    "refuses it)",
    "prevent_hub/accounts/tests/test_password_rules.py": (
        "passwords with context words typed in tests, and an unreachable breach-check address"),
    "prevent_hub/core/tests/test_security.py": (
        "weak SECRET_KEYs and well-known default database, mail and object-store passwords that "
        "production must refuse, and a synthetic one it accepts"),
    "prevent_hub/govuk/tests/test_forms.py": "a password field's value in a form rendering test",
    "prevent_hub/synthetic/generate.py": (
        "the alphabet of synthetic references (letters and digits without 0, O, 1, I), not a key"),
    "prevent_hub/training/services.py": "the alphabet of training references, not a key",
    "tests/test_asvs_controls.py": "long and wrong passwords typed in sign-in tests",
    "tests/test_scale_out_settings.py": (
        "a made-up SMTP user:password (fictional:made-up-for-a-test) in a settings test"),
}


def _baseline() -> dict:
    return json.loads(BASELINE.read_text())


def _settings(data: dict) -> dict:
    return {"plugins_used": data["plugins_used"], "filters_used": data["filters_used"]}


def _excluded(data: dict) -> re.Pattern:
    patterns = [f["pattern"] for f in data["filters_used"] if f["path"].endswith("should_exclude_file")]
    return re.compile("|".join(p for group in patterns for p in group))


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)  # noqa: S607
    return [name for name in listed.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


def _line_gate():
    """A test of whole-file text that finds the lines on which some configured plugin could fire,
    or None when a plugin is of a kind the gate does not know (then every line is scanned)."""
    regexes = []
    for plugin in get_plugins():
        if isinstance(plugin, RegexBasedDetector):
            # Line by line, ^ and $ are a line's ends: over a whole file they must be too.
            regexes.extend(
                re.compile(regex.pattern, regex.flags | re.MULTILINE) for regex in plugin.denylist
            )
        elif isinstance(plugin, KeywordDetector):
            regexes.append(re.compile("|".join(DENYLIST), re.IGNORECASE))
        elif isinstance(plugin, HighEntropyStringsPlugin):
            # A string of n characters has at most log2(n) bits of entropy: shorter runs cannot pass.
            shortest = math.floor(2**plugin.entropy_limit) + 1
            # The plugin's own pattern (a quoted run of its characters), at least that long.
            regexes.append(re.compile(rf"(['\"])[{re.escape(plugin.charset)}]{{{shortest},}}\1"))
        else:
            return None

    def lines_to_scan(text: str) -> set[int]:
        starts = [0] + [match.end() for match in re.finditer("\n", text)]
        found = set()
        for regex in regexes:
            for match in regex.finditer(text):
                first = _line_of(starts, match.start())
                last = _line_of(starts, max(match.start(), match.end() - 1))
                found.update(range(first, last + 1))
        return found

    return lines_to_scan


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low  # 0-based


def _read_plainly(path: Path) -> str | None:
    """The file's text if detect-secrets reads it line by line (no YAML or INI parsing); else None."""
    try:
        with path.open() as handle:
            if get_transformed_file(handle) or get_transformed_file(handle, use_eager_transformers=True):
                return None
            handle.seek(0)
            return handle.read()
    except UnicodeDecodeError:
        return ""  # detect-secrets skips binary files too


def scan(
    names: list[str], *, source: Path, scratch: Path, data: dict, gate: bool = True
) -> SecretsCollection:
    """detect-secrets over `names` (relative to `source`) with the baseline's settings."""
    with transient_settings(_settings(data)):
        excluded = _excluded(data)
        lines_to_scan = _line_gate() if gate else None
        to_scan, line_numbers = [], {}
        for name in names:
            if excluded.search(name) or name == BASELINE.name:  # the baseline holds the hashes it found
                continue
            text = _read_plainly(source / name) if lines_to_scan else None
            if text is None:
                to_scan.append(str(source / name))
                continue
            keep = sorted(lines_to_scan(text))
            if not keep:
                continue
            lines = text.split("\n")
            copy = scratch / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text("\n".join(lines[number] for number in keep) + "\n")
            line_numbers[str(copy)] = [number + 1 for number in keep]
            to_scan.append(str(copy))
        found = SecretsCollection()
        for filename in to_scan:  # in this process: a pool's start-up costs more than the scan
            found.scan_file(filename)
    # Report every finding by its name in the repository, wherever it was scanned.
    relative = SecretsCollection()
    for filename, secret in found:
        name = Path(filename).resolve()
        if str(name) in line_numbers:
            secret.line_number = line_numbers[str(name)][secret.line_number - 1]
        name = name.relative_to(scratch) if name.is_relative_to(scratch) else name.relative_to(source)
        secret.filename = str(name)
        relative[str(name)].add(secret)
    return relative


def _keys(collection) -> set[tuple[str, str, str]]:
    return {(filename, secret.type, secret.secret_hash) for filename, secret in collection}


def _baseline_keys(data: dict) -> set[tuple[str, str, str]]:
    return {
        (filename, entry["type"], entry["hashed_secret"])
        for filename, entries in data["results"].items()
        for entry in entries
    }


def _describe(collection, keys) -> list[str]:
    return sorted(
        f"{filename}:{secret.line_number}: {secret.type}"
        for filename, secret in collection
        if (filename, secret.type, secret.secret_hash) in keys
    )


@pytest.fixture(scope="module")
def repository_scan(tmp_path_factory):
    data = _baseline()
    return data, scan(tracked_files(), source=ROOT, scratch=tmp_path_factory.mktemp("gated"), data=data)


def test_no_tracked_file_holds_a_secret_that_is_not_in_the_reviewed_baseline(repository_scan):
    data, found = repository_scan
    new = _keys(found) - _baseline_keys(data)
    assert _describe(found, new) == [], (
        "Possible secrets not in .secrets.baseline. A real one: rotate it first (docs/security.md), "
        "then remove it. Not a secret: `.venv/bin/detect-secrets scan --baseline .secrets.baseline`, "
        "audit it, and give the reason in REVIEWED in tests/test_secret_scan.py."
    )


def test_the_baseline_lists_only_what_is_still_there(repository_scan):
    data, found = repository_scan
    gone = _baseline_keys(data) - _keys(found)
    assert sorted(gone) == [], (
        "Update the baseline: `.venv/bin/detect-secrets scan --baseline .secrets.baseline`"
    )


def test_every_baseline_entry_was_reviewed_as_not_a_secret_with_a_reason():
    data = _baseline()
    unreviewed = [
        f"{filename}:{entry['line_number']}"
        for filename, entries in data["results"].items()
        for entry in entries
        if entry.get("is_secret") is not False
    ]
    assert unreviewed == []
    assert sorted(set(data["results"]) - set(REVIEWED)) == []
    assert sorted(set(REVIEWED) - set(data["results"])) == []  # no reason kept for a file no longer listed


def test_lock_files_are_excluded_by_pattern_not_baselined():
    data = _baseline()
    excluded = _excluded(data)
    assert all(
        excluded.search(name)
        for name in ("requirements/base.lock", "requirements/dev.lock", "package-lock.json")
    )
    assert not excluded.search("requirements/notes.md")
    assert not excluded.search("prevent_hub/core/settings_lock.py")


# A made-up AWS access key id and secret, put together here so that this file itself holds neither.
PLANTED_KEY_ID = "AKIA" + "ZZ99" * 4
PLANTED_ACCESS_VALUE = "wJalrXUtnF" + "EMI/K7MDENG" + "/bPxRfiCYZZ9" + "9EXAMPLEKEY"


def test_the_scan_finds_a_planted_key_with_its_file_and_line(tmp_path):
    source = tmp_path / "repository"
    (source / "config").mkdir(parents=True)
    (source / "config" / "local.py").write_text(
        "DEBUG = False\n"
        f"AWS_ACCESS_KEY_ID = '{PLANTED_KEY_ID}'\n"
        f'aws_secret_access_key = "{PLANTED_ACCESS_VALUE}"\n'
        "ALLOWED_HOSTS = ['prevent-hub.example']\n"
    )
    (source / "requirements").mkdir()
    (source / "requirements" / "base.lock").write_text(f"x==1 --hash=sha256:{PLANTED_KEY_ID}\n")
    data = _baseline()
    found = scan(
        ["config/local.py", "requirements/base.lock"], source=source, scratch=tmp_path / "gated", data=data
    )
    new = _keys(found) - _baseline_keys(data)
    described = _describe(found, new)
    assert "config/local.py:2: AWS Access Key" in described
    assert "config/local.py:3: Secret Keyword" in described
    assert "config/local.py:3: Base64 High Entropy String" in described
    assert not any(line.startswith("requirements/") for line in described)


def test_the_shortcut_loses_nothing_on_files_with_every_kind_of_finding(tmp_path):
    data = _baseline()
    names = sorted(data["results"])
    source = tmp_path / "repository"
    for name in names:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text((ROOT / name).read_text())
    (source / "planted.py").write_text(f"KEY = '{PLANTED_KEY_ID}'\nSECRET = \"{PLANTED_ACCESS_VALUE}\"\n")
    names.append("planted.py")
    gated = scan(names, source=source, scratch=tmp_path / "gated", data=data)
    full = scan(names, source=source, scratch=tmp_path / "unused", data=data, gate=False)
    assert {(key, secret.line_number) for key, secret in gated} == {
        (key, secret.line_number) for key, secret in full
    }
    assert len(_keys(full)) >= len(_baseline_keys(data)) + 2
