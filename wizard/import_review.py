"""Starting from a Dockerfile rustdock did not write: the plan it implies, the check of
that file, and every difference between it and the new one, each with its reason.

The wizard's welcome screen offers the start, its option fields mark the values that
came from the file, and its review lists `differences`; `rustdock generate` prints the
same on stderr. All of it headless: screens only show what this returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .check import CHECK_IDS, Report, check_project
from .check_base import Located
from .import_dockerfile import Change, Imported, starting_plan
from .import_words import WRITTEN, origin_words  # noqa: F401 - origin_words: for the CLI
from .options import OPTIONS, option, plain
from .plan import Plan
from .project import Project

#: Options whose difference says nothing about the image (how the file is written).
_NOT_COMPARED = frozenset({"comments", "profile_overwrite", "allocator_scope"})


@dataclass(frozen=True)
class Start:
    """What a run that starts from the project's own Dockerfile begins with."""

    imported: Imported
    #: The check of their Dockerfile.
    report: Report
    #: The plan the run starts from: their answers, with the fixes of their errors.
    plan: Plan
    changes: tuple[Change, ...]

    @property
    def path(self) -> str:
        return self.imported.path

    def summary(self) -> str:
        """"3 findings (1 error), 12 choices read, 2 steps left over"."""
        findings = self.report.findings
        errors = len(self.report.errors)
        parts = [f"{len(findings)} finding{'s' * (len(findings) != 1)}"
                 + (f" ({errors} error{'s' * (errors != 1)})" if errors else ""),
                 f"{len(self.imported.answers)} choices read"]
        left = len(self.imported.left_over)
        if left:
            parts.append(f"{left} line{'s' * (left != 1)} not carried over")
        return ", ".join(parts)


def kept(start: Start, plan: Plan | None = None) -> tuple[tuple[str, Any, int], ...]:
    """(key, value, line) of every answer from their Dockerfile the plan still holds:
    a --set, a fix or a later choice that replaced one takes it off this list."""
    plan = plan or start.plan
    imported = start.imported
    return tuple((key, value, imported.answer_line(key)) for key, value in imported.answers.items()
                 if plan.dockerfile_line(key))


def dockerfile_start(project: Project, preset_name: str = "", overrides: Iterable[str] = ()) -> Start | None:
    """The start from the project's foreign Dockerfile; None when it has none.

    Raises CheckError when the file cannot be read, OptionError for a bad override."""
    if not project.foreign_dockerfile:
        return None
    report = check_project(project, project.root, project.root / project.foreign_dockerfile)
    plan, changes = starting_plan(project, report.imported, preset_name, tuple(overrides))
    return Start(report.imported, report, plan, changes)


@dataclass(frozen=True)
class Difference:
    """One way the new Dockerfile differs from theirs, and why."""

    #: The option it is about ("" for a line that became no choice).
    key: str
    #: The line of their Dockerfile (0 when their file says nothing about it).
    line: int
    theirs: str
    ours: str
    why: str


def _shown(value: Any) -> str:
    value = plain(value)
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in ("", None) else "none"


def _finding_text(item: Located) -> str:
    finding = item.finding
    return finding.message + (f" Fix: {finding.fix}" if finding.fix else "")


def _help(key: str, value: Any, plan: Plan) -> str:
    opt = option(key)
    chosen = opt.value_help(value, plan.project)
    return chosen.help if chosen is not None else opt.help


def differences(start: Start, plan: Plan | None = None) -> tuple[Difference, ...]:
    """Every difference between their Dockerfile and the plan's, in option order, then the
    bugs the new file leaves behind, then the lines that became no choice."""
    plan = plan or start.plan
    imported = start.imported
    about = {}
    for item in start.report.findings:
        about.setdefault(item.finding.option, item)
    changed = {c.key: c for c in start.changes}
    found: list[Difference] = []
    for opt in OPTIONS:
        key = opt.key
        if key in _NOT_COMPARED or key not in imported.faithful and key not in plan.explicit:
            continue
        theirs, ours = imported.faithful.get(key), plan.choices[key]
        if key in imported.faithful and theirs == ours:
            continue
        line = imported.lines.get(key, 0)
        if key not in imported.faithful:
            # Meant, not done (a user made but never switched to): said at its own line.
            line = imported.intent_lines.get(key, 0)
        if key not in imported.faithful and line:
            why = (f"line {line} makes it, but no USER switches to it, so your image runs as root; "
                   "the new one runs as it") if key in {"user", "uid"} else _help(key, ours, plan)
        elif key in changed and changed[key].ours == ours:
            why = changed[key].finding.message
        elif key in about and about[key].rule not in CHECK_IDS:
            why = _finding_text(about[key])
        else:
            why = _help(key, ours, plan)
        said = (_shown(theirs) if key in imported.faithful else
                f"{_shown(imported.answers[key])}, never used" if line else "not set")
        found.append(Difference(key, line, said, _shown(ours), why))
    for item in start.report.findings:
        if item.rule in CHECK_IDS and item.severity != "tip" and item.path == imported.path:
            found.append(Difference(item.finding.option, item.line, item.rule, WRITTEN, _finding_text(item)))
    for left in imported.left_over:
        found.append(Difference("", left.line, left.text, "not carried over", left.why))
    return tuple(found)
