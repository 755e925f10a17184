"""bin/audit-dependencies: the allow-list, and telling "no vulnerabilities" from "not audited".

The auditors' answers below are recorded: the unreachable ones from this machine (pip-audit's
"pypi" service answering "not found" for every package, its "osv" service failing to resolve,
npm's bulk advisory endpoint refusing the request), the findings in the formats pip-audit 2.10
and npm 11 write. No test here asks an advisory service anything.
"""

import datetime
import importlib.machinery
import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 12, 6)


def _load_script():
    loader = importlib.machinery.SourceFileLoader(
        "audit_dependencies", str(ROOT / "bin" / "audit-dependencies")
    )
    spec = importlib.util.spec_from_loader("audit_dependencies", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_dependencies"] = module  # dataclasses look their module up while it loads
    loader.exec_module(module)
    return module


audit = _load_script()

PIP_AUDIT_NOT_FOUND = json.dumps(
    {
        "dependencies": [
            {
                "name": "annotated-types",
                "skip_reason": "Dependency not found on PyPI and could not be audited: "
                "annotated-types (0.8.0)",
            },
            {
                "name": "anyascii",
                "skip_reason": "Dependency not found on PyPI and could not be audited: anyascii (0.3.3)",
            },
            {
                "name": "django",
                "skip_reason": "Dependency not found on PyPI and could not be audited: django (6.1.0)",
            },
        ],
        "fixes": [],
    }
)
PIP_AUDIT_NOT_FOUND_STDERR = "No known vulnerabilities found\n"

PIP_AUDIT_OSV_UNRESOLVED_STDERR = """Traceback (most recent call last):
  File ".venv/lib/python3.12/site-packages/requests/adapters.py", line 729, in send
    raise ConnectionError(e, request=request)
requests.exceptions.ConnectionError: HTTPSConnectionPool(host='osv.invalid', port=443): Max retries exceeded \
with url: /v1/query (Caused by NameResolutionError("Failed to resolve \
([Errno -2] Name or service not known)"))
"""

PIP_AUDIT_CLEAN = json.dumps(
    {
        "dependencies": [
            {"name": "asgiref", "version": "3.13.0", "vulns": []},
            {"name": "django", "version": "6.1.0", "vulns": []},
        ],
        "fixes": [],
    }
)

FINDING_DEPENDENCIES = [
    {
        "name": "django",
        "version": "6.1.0",
        "vulns": [
            {
                "id": "PYSEC-2099-1",
                "fix_versions": ["6.1.1"],
                "aliases": ["CVE-2099-0001", "GHSA-zzzz-0001-zzzz"],
                "description": "Potential denial of service in a made-up   validator.",
            }
        ],
    },
    {
        "name": "pillow",
        "version": "12.0.0",
        "vulns": [
            {
                "id": "GHSA-zzzz-0002-zzzz",
                "fix_versions": [],
                "aliases": [],
                "description": "Made-up decoder bug.",
            }
        ],
    },
    {"name": "asgiref", "version": "3.13.0", "vulns": []},
]
SKIPPED_LOCAL_PACKAGE = {
    "name": "local-package",
    "skip_reason": "Dependency not found on PyPI and could not be audited: local-package (1.0)",
}
PIP_AUDIT_FINDINGS = json.dumps(
    {"dependencies": [*FINDING_DEPENDENCIES, SKIPPED_LOCAL_PACKAGE], "fixes": []}
)
PIP_AUDIT_FINDINGS_ALL_AUDITED = json.dumps({"dependencies": FINDING_DEPENDENCIES, "fixes": []})

NPM_405 = json.dumps(
    {
        "message": "405 Method Not Allowed - POST https://registry.invalid/-/npm/v1/security/advisories/bulk",
        "method": "POST",
        "statusCode": 405,
        "body": "",
        "error": {"summary": "", "detail": ""},
    }
)
NPM_405_STDERR = (
    "npm warn audit 405 Method Not Allowed - POST https://registry.invalid/-/npm/v1/security/"
    "advisories/bulk\nnpm error audit endpoint returned an error\n"
)
NPM_OFFLINE = json.dumps(
    {
        "error": {
            "code": "ENOTFOUND",
            "summary": "request to https://registry.invalid failed, "
            "reason: getaddrinfo ENOTFOUND registry.invalid",
            "detail": "",
        }
    }
)

NPM_CLEAN = json.dumps(
    {
        "auditReportVersion": 2,
        "vulnerabilities": {},
        "metadata": {
            "vulnerabilities": {"info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 0, "total": 0},
            "dependencies": {
                "prod": 3,
                "dev": 120,
                "optional": 2,
                "peer": 0,
                "peerOptional": 0,
                "total": 124,
            },
        },
    }
)

NPM_FINDINGS = json.dumps(
    {
        "auditReportVersion": 2,
        "vulnerabilities": {
            "braces-made-up": {
                "name": "braces-made-up",
                "severity": "high",
                "isDirect": False,
                "via": [
                    {
                        "source": 1098094,
                        "name": "braces-made-up",
                        "dependency": "braces-made-up",
                        "title": "Uncontrolled resource consumption (made up)",
                        "url": "https://github.invalid/advisories/GHSA-zzzz-0003-zzzz",
                        "severity": "high",
                        "cwe": ["CWE-400"],
                        "range": "<3.0.3",
                    }
                ],
                "effects": ["sass-made-up"],
                "range": "<3.0.3",
                "nodes": ["node_modules/braces-made-up"],
                "fixAvailable": True,
            },
            "sass-made-up": {
                "name": "sass-made-up",
                "severity": "high",
                "isDirect": True,
                "via": ["braces-made-up"],
                "effects": [],
                "range": "1.0.0 - 1.2.0",
                "nodes": ["node_modules/sass-made-up"],
                "fixAvailable": {"name": "sass-made-up", "version": "1.3.0", "isSemVerMajor": False},
            },
        },
        "metadata": {
            "vulnerabilities": {"info": 0, "low": 0, "moderate": 0, "high": 2, "critical": 0, "total": 2},
            "dependencies": {
                "prod": 3,
                "dev": 120,
                "optional": 2,
                "peer": 0,
                "peerOptional": 0,
                "total": 124,
            },
        },
    }
)

ENTRY = """
[[allow]]
id = "{id}"
package = "{package}"
ecosystem = "{ecosystem}"
reason = "{reason}"
reviewed_by = "A. Example, security lead"
review_by = {review_by}
"""
REASON = "The validator is not reachable from any form or API field; fixed release blocked by ticket 12."


def entry(id="CVE-2099-0001", package="Django", ecosystem="pypi", reason=REASON, review_by="2027-03-31"):
    return ENTRY.format(id=id, package=package, ecosystem=ecosystem, reason=reason, review_by=review_by)


def fake_runner(answers):
    """A runner answering each auditor from recorded output, keyed by the auditor and its lock file."""
    asked = []

    def runner(command):
        asked.append(command)
        key = "npm" if command[0] == "npm" else command[command.index("--requirement") + 1]
        return answers[key]

    runner.asked = asked
    return runner


def run_main(tmp_path, answers, allowlist="", environ=None, capsys=None):
    path = tmp_path / "allow.toml"
    path.write_text(allowlist)
    code = audit.main(
        ["--allowlist", str(path)], runner=fake_runner(answers), today=TODAY, environ=environ or {}
    )
    return code, capsys.readouterr().out if capsys else ""


# --- the allow-list ------------------------------------------------------------------------------------


def test_a_complete_entry_is_accepted_and_its_reason_kept_in_one_line():
    entries, problems = audit.load_allowlist(
        entry(reason="Not reachable  from\\n any form; ticket 12 open."), today=TODAY
    )
    assert problems == []
    assert entries[0].review_by == datetime.date(2027, 3, 31)
    assert entries[0].reason == "Not reachable from any form; ticket 12 open."


def test_an_expired_entry_fails_and_says_when_it_expired():
    _, problems = audit.load_allowlist(entry(review_by="2026-12-05"), today=TODAY)
    assert problems == [
        "allow-list entry 1 (CVE-2099-0001) EXPIRED on 2026-12-05: review it again (new reason, "
        "reviewer and date) or remove it and update the package"
    ]


def test_an_entry_due_today_is_still_valid():
    _, problems = audit.load_allowlist(entry(review_by="2026-12-06"), today=TODAY)
    assert problems == []


@pytest.mark.parametrize("missing", ["id", "package", "reason", "reviewed_by", "review_by"])
def test_an_entry_without_each_required_key_fails(missing):
    text = "\n".join(line for line in entry().splitlines() if not line.startswith(f"{missing} ="))
    entries, problems = audit.load_allowlist(text, today=TODAY)
    assert entries == []
    assert problems == [
        f"allow-list entry 1 ({'no id' if missing == 'id' else 'CVE-2099-0001'}) has no {missing}"
    ]


def test_a_blank_or_token_reason_fails():
    assert audit.load_allowlist(entry(reason="   "), today=TODAY)[1] == [
        "allow-list entry 1 (CVE-2099-0001) has no reason"
    ]
    assert audit.load_allowlist(entry(reason="accepted"), today=TODAY)[1] == [
        "allow-list entry 1 (CVE-2099-0001): the reason must say why the risk is acceptable "
        "(at least 20 characters)"
    ]


def test_a_review_date_as_text_or_too_far_ahead_fails():
    assert (
        "review_by must be a date"
        in audit.load_allowlist(entry(review_by='"2027-03-31"'), today=TODAY)[1][0]
    )
    assert (
        "more than 366 days ahead" in audit.load_allowlist(entry(review_by="2028-01-01"), today=TODAY)[1][0]
    )


def test_unknown_ecosystem_keys_and_broken_toml_fail():
    assert "ecosystem must be" in audit.load_allowlist(entry(ecosystem="maven"), today=TODAY)[1][0]
    assert "unknown keys ['note']" in audit.load_allowlist(entry() + 'note = "x"\n', today=TODAY)[1][0]
    assert "not valid TOML" in audit.load_allowlist("[[allow]\n", today=TODAY)[1][0]


def test_the_committed_allow_list_is_valid_today():
    entries, problems = audit.load_allowlist(
        (ROOT / ".ci" / "vulnerability-allowlist.toml").read_text(), today=datetime.date.today()
    )
    assert problems == []
    assert all(entry.reviewed_by and entry.reason for entry in entries)


# --- reading the auditors ------------------------------------------------------------------------------


def test_pip_audit_answering_not_found_for_every_package_is_not_audited_whatever_its_verdict():
    result = audit.parse_pip_audit(
        0, PIP_AUDIT_NOT_FOUND, PIP_AUDIT_NOT_FOUND_STDERR, source="requirements/base.lock"
    )
    assert result.status == audit.NOT_AUDITED
    assert result.reason == (
        "the advisory service could not be reached: it answered for none of the 3 packages "
        "(Dependency not found on PyPI)"
    )


def test_pip_audit_failing_to_resolve_its_service_is_not_audited():
    result = audit.parse_pip_audit(1, "", PIP_AUDIT_OSV_UNRESOLVED_STDERR, source="requirements/dev.lock")
    assert result.status == audit.NOT_AUDITED
    assert result.reason.startswith(
        "the advisory service could not be reached (requests.exceptions.ConnectionError"
    )


def test_pip_audit_crashing_for_another_reason_is_not_audited_and_says_so():
    result = audit.parse_pip_audit(2, "", "pip-audit: error: invalid requirement 'x=='\n", source="a.lock")
    assert (result.status, result.reason) == (
        audit.NOT_AUDITED,
        "the auditor failed (pip-audit: error: invalid requirement 'x==')",
    )


def test_pip_audit_findings_keep_ids_aliases_and_fixed_versions_and_note_skipped_packages():
    result = audit.parse_pip_audit(1, PIP_AUDIT_FINDINGS, "", source="requirements/dev.lock")
    assert result.status == audit.AUDITED
    assert result.packages == 3
    assert result.not_audited_packages == ["local-package"]
    assert not result.complete
    assert [(f.package, f.version, f.id, f.aliases, f.fixed_in) for f in result.findings] == [
        ("django", "6.1.0", "PYSEC-2099-1", ("CVE-2099-0001", "GHSA-zzzz-0001-zzzz"), "6.1.1"),
        ("pillow", "12.0.0", "GHSA-zzzz-0002-zzzz", (), ""),
    ]
    assert result.findings[0].title == "Potential denial of service in a made-up validator."


def test_npm_refused_or_offline_is_not_audited():
    refused = audit.parse_npm_audit(1, NPM_405, NPM_405_STDERR, source="package-lock.json")
    offline = audit.parse_npm_audit(1, NPM_OFFLINE, "", source="package-lock.json")
    assert refused.status == offline.status == audit.NOT_AUDITED
    assert refused.reason == (
        "the advisory service could not be reached "
        "(405 Method Not Allowed - POST https://registry.invalid/-/npm/v1/security/advisories/bulk)"
    )
    assert offline.reason.startswith("the advisory service could not be reached (ENOTFOUND request to")


def test_npm_findings_are_the_advisories_not_the_packages_they_reach():
    result = audit.parse_npm_audit(1, NPM_FINDINGS, "", source="package-lock.json")
    assert (result.status, result.packages) == (audit.AUDITED, 124)
    assert [(f.package, f.id, f.aliases, f.severity, f.version) for f in result.findings] == [
        ("braces-made-up", "GHSA-zzzz-0003-zzzz", ("1098094",), "high", "<3.0.3")
    ]


def test_npm_clean_report_is_audited_with_nothing_found():
    result = audit.parse_npm_audit(0, NPM_CLEAN, "", source="package-lock.json")
    assert (result.status, result.findings, result.complete) == (audit.AUDITED, [], True)


# --- matching and the verdict --------------------------------------------------------------------------


def test_an_entry_matches_by_alias_and_normalised_name_in_its_own_ecosystem_only():
    entries, _ = audit.load_allowlist(entry(id="cve-2099-0001", package="Django"), today=TODAY)
    django = audit.parse_pip_audit(1, PIP_AUDIT_FINDINGS, "", source="x").findings[0]
    assert entries[0].matches(django)
    assert not entries[0].matches(audit.Finding("npm", "django", "1", "CVE-2099-0001"))
    assert not entries[0].matches(audit.Finding("pypi", "django", "1", "CVE-2099-0002"))
    underscored, _ = audit.load_allowlist(entry(id="GHSA-x", package="Django_Axes"), today=TODAY)
    assert underscored[0].matches(audit.Finding("pypi", "django-axes", "8.0", "GHSA-X"))


CLEAN = {
    "requirements/base.lock": (0, PIP_AUDIT_CLEAN, ""),
    "requirements/dev.lock": (0, PIP_AUDIT_CLEAN, ""),
    "npm": (0, NPM_CLEAN, ""),
}
UNREACHABLE = {
    "requirements/base.lock": (0, PIP_AUDIT_NOT_FOUND, PIP_AUDIT_NOT_FOUND_STDERR),
    "requirements/dev.lock": (1, "", PIP_AUDIT_OSV_UNRESOLVED_STDERR),
    "npm": (1, NPM_405, NPM_405_STDERR),
}
FINDINGS = {**CLEAN, "requirements/dev.lock": (1, PIP_AUDIT_FINDINGS, ""), "npm": (1, NPM_FINDINGS, "")}


def test_everything_audited_and_clean_passes(tmp_path, capsys):
    code, out = run_main(tmp_path, CLEAN, capsys=capsys)
    assert code == 0
    assert "  pip-audit requirements/base.lock: 2 packages audited, 0 finding(s)" in out
    assert "  npm audit package-lock.json: 124 packages audited, 0 finding(s)" in out
    assert out.rstrip().endswith(
        "PASSED: every lock file audited; no vulnerability outside the allow-list."
    )
    assert "NOT DONE" not in out


def test_unreachable_warns_loudly_and_passes_only_when_not_required(tmp_path, capsys):
    code, out = run_main(tmp_path, UNREACHABLE, capsys=capsys)
    assert code == 0
    assert out.count("NOT AUDITED: the advisory service could not be reached") == 3
    assert "THE DEPENDENCY AUDIT WAS NOT DONE IN FULL" in out
    assert "PASSED" not in out
    assert out.rstrip().endswith(
        "NOT DONE: some lock files or packages could NOT be audited (above). This is not a pass."
    )

    code, out = run_main(tmp_path, UNREACHABLE, environ={"SECURITY_AUDIT_REQUIRED": "1"}, capsys=capsys)
    assert code == 3
    assert "SECURITY_AUDIT_REQUIRED=1 is set, so this fails." in out


def test_unallowed_findings_fail_and_are_listed_whether_or_not_the_audit_is_required(tmp_path, capsys):
    code, out = run_main(tmp_path, FINDINGS, capsys=capsys)
    assert code == 1
    assert "3 finding(s) NOT on the allow-list" in out
    assert (
        "  - pypi django 6.1.0: PYSEC-2099-1 (CVE-2099-0001, GHSA-zzzz-0001-zzzz); fixed in 6.1.1; "
        "Potential denial of service in a made-up validator. [requirements/dev.lock]"
    ) in out
    assert (
        "  - npm braces-made-up <3.0.3: GHSA-zzzz-0003-zzzz (1098094); severity high; "
        "fixed in a newer version" in out
    )
    # local-package was skipped: the audit was partial, and says so beside the failure.
    assert "NOT AUDITED: 1 package(s) (local-package)" in out
    assert out.rstrip().endswith("FAILED: 3 known vulnerabilities not on the allow-list.")


def test_allowed_findings_pass_with_who_reviewed_them_and_until_when(tmp_path, capsys):
    allow = (
        entry()
        + entry(id="GHSA-zzzz-0002-zzzz", package="pillow")
        + entry(id="GHSA-zzzz-0003-zzzz", package="braces-made-up", ecosystem="npm")
    )
    answers = {
        **FINDINGS,
        "requirements/dev.lock": (1, PIP_AUDIT_FINDINGS_ALL_AUDITED, ""),
    }
    code, out = run_main(tmp_path, answers, allowlist=allow, capsys=capsys)
    assert code == 0
    assert "Allowed by the reviewed allow-list:" in out
    assert f"reviewed by A. Example, security lead, look again by 2027-03-31: {REASON}" in out
    assert "NOT on the allow-list" not in out
    assert out.rstrip().endswith(
        "PASSED: every lock file audited; no vulnerability outside the allow-list."
    )


def test_an_expired_entry_fails_even_when_nothing_could_be_audited(tmp_path, capsys):
    code, out = run_main(tmp_path, UNREACHABLE, allowlist=entry(review_by="2026-11-30"), capsys=capsys)
    assert code == 2
    assert "EXPIRED on 2026-11-30" in out
    assert out.rstrip().endswith("FAILED: the allow-list needs attention.")


def test_entries_no_finding_needs_are_named_for_removal_once_everything_was_audited(tmp_path, capsys):
    code, out = run_main(tmp_path, CLEAN, allowlist=entry(), capsys=capsys)
    assert code == 0
    assert (
        "Allow-list entries no finding needed any more (remove them):\n  - pypi Django CVE-2099-0001" in out
    )


def test_the_auditors_are_asked_about_the_lock_files_without_installing_anything(tmp_path, capsys):
    runner = fake_runner(CLEAN)
    path = tmp_path / "allow.toml"
    path.write_text("")
    assert audit.main(["--allowlist", str(path)], runner=runner, today=TODAY, environ={}) == 0
    pip_commands = [command for command in runner.asked if command[0] != "npm"]
    assert [command[command.index("--requirement") + 1] for command in pip_commands] == [
        "requirements/base.lock",
        "requirements/dev.lock",
    ]
    assert all("--disable-pip" in command and "--require-hashes" in command for command in pip_commands)
    assert ["npm", "audit", "--json", "--package-lock-only"] in runner.asked
    capsys.readouterr()
