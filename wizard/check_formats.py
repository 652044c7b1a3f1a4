"""`rustdock check` output: text lines (compiler style), JSON, and SARIF 2.1.0."""

from __future__ import annotations

import json
from typing import Any

from .check import CHECK_IDS, DOCKERFILE_CHECKS, Report
from .check_base import SEVERITY_WORDS, Located
from .meta import __version__
from .options import plain
from .rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FORMATS = ("text", "json", "sarif")


def text(report: Report, verbose: bool = False) -> str:
    """One finding per line; tips only when verbose."""
    shown = [f for f in report.findings if verbose or f.severity != "tip"]
    return "".join(f.text() + "\n" for f in shown)


def summary(report: Report) -> str:
    counts = {sev: sum(f.severity == sev for f in report.findings) for sev in ("error", "warning", "tip")}
    parts = [f"{n} {sev}{'s' * (n != 1)}" for sev, n in counts.items() if n]
    return f"{report.path}: {', '.join(parts) or 'no findings'}"


def _finding(item: Located) -> dict[str, Any]:
    finding = item.finding
    return {
        "path": item.path,
        "line": item.line,
        "severity": finding.severity,
        "rule": finding.rule,
        "option": finding.option,
        "message": finding.message,
        "fix": finding.fix,
    }


def as_json(report: Report) -> str:
    imported = report.imported
    data = {
        "dockerfile": report.path,
        "findings": [_finding(f) for f in report.findings],
        "imported": {key: plain(value) for key, value in imported.answers.items()},
        # The line each imported value comes from; null when no line says it (frontend:
        # no `# syntax=` line means the built-in one). Absences judged by the check
        # (ca_certs, healthcheck, ...) are findings, not imported values.
        "lines": {key: imported.lines.get(key) or None for key in imported.answers},
        "left_over": [{"line": n.line, "text": n.text, "why": n.why} for n in imported.left_over],
    }
    if report.project_note:
        data["project_note"] = report.project_note
    return json.dumps(data, indent=2) + "\n"


def _describe(rule_id: str) -> str:
    functions = dict(RULES) | dict(DOCKERFILE_CHECKS)
    doc = (functions[rule_id].__doc__ or "").strip().split("\n")[0] if rule_id in functions else ""
    return doc or rule_id.replace("-", " ")


def as_sarif(report: Report) -> str:
    used = sorted({f.rule for f in report.findings})
    index = {rule: n for n, rule in enumerate(used)}
    results = [
        {
            "ruleId": item.rule,
            "ruleIndex": index[item.rule],
            "level": SEVERITY_WORDS[item.severity],
            "message": {"text": item.finding.message + (f" Fix: {item.finding.fix}" if item.finding.fix else "")},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": item.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": item.line},
                },
            }],
            "properties": {"option": item.finding.option},
        }
        for item in report.findings
    ]
    rules = [
        {
            "id": rule,
            "name": "".join(part.title() for part in rule.split("-")),
            "shortDescription": {"text": _describe(rule)},
            "properties": {"kind": "dockerfile" if rule in CHECK_IDS else "plan"},
        }
        for rule in used
    ]
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "rustdock", "version": __version__, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the project directory"}}},
            "results": results,
            "invocations": [{"executionSuccessful": True}],
        }],
    }
    return json.dumps(sarif, indent=2) + "\n"
