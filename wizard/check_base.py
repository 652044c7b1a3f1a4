"""Findings placed in a file: what `rustdock check` reports, one per line."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .dockerfile.facts import DockerfileFacts
from .findings import Finding

#: SARIF and editors speak of notes where rustdock speaks of tips.
SEVERITY_WORDS = {"error": "error", "warning": "warning", "tip": "note"}


@dataclass(frozen=True)
class Located:
    finding: Finding
    #: The file it is in, relative to the project root (the Dockerfile or .dockerignore).
    path: str
    #: 1-based line; the first line when it concerns the whole file.
    line: int

    @property
    def rule(self) -> str:
        return self.finding.rule

    @property
    def severity(self) -> str:
        return self.finding.severity

    def text(self) -> str:
        """`PATH:LINE: severity rule: message Fix: ...`, the shape of compiler output."""
        finding = self.finding
        fix = f" Fix: {finding.fix}" if finding.fix else ""
        return f"{self.path}:{self.line}: {finding.severity} {finding.rule}: {finding.message}{fix}"


#: A Dockerfile-only check: facts -> findings at their lines.
CheckFn = Callable[[DockerfileFacts], Iterable[Located]]


def at(facts: DockerfileFacts, line: int, findings: Iterable[Finding], path: str = "") -> list[Located]:
    """The findings placed at a line of the Dockerfile (or of another file)."""
    return [Located(f, path or facts.df.path, max(line, 1)) for f in findings]


def stamped(rule_id: str, located: Iterable[Located]) -> list[Located]:
    return [replace(item, finding=replace(item.finding, rule=rule_id)) for item in located]
