"""The whole pipeline below the UI: plan -> findings and the files to write.

The wizard and the command line both call `outcome`, so they can never disagree about
what a plan writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .answers import render_answers
from .changes import FileChange
from .findings import SEVERITY_ORDER, Finding
from .meta import ANSWERS_FILE
from .patch import patch_project
from .patch.record import with_section
from .plan import Plan
from .render import Rendered, render
from .rules import check


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    rendered: Rendered
    findings: tuple[Finding, ...]
    #: Every file a save writes, rendered files first, then patches, then the answers.
    changes: tuple[FileChange, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def can_save(self) -> bool:
        return not self.errors


def _current(plan: Plan, path: str) -> str | None:
    file = plan.project.root / path
    try:
        # Undecodable bytes show as U+FFFD in a diff; save reads the file again and refuses
        # to replace one that is not UTF-8, so nothing lossy is ever written back.
        return file.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None


def outcome(plan: Plan) -> Outcome:
    rendered = render(plan)
    patched = patch_project(plan)
    findings = tuple(
        sorted(check(plan) + patched.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    )
    files = [
        FileChange(path, _current(plan, path), text, reason="generated")
        for path, text in rendered.files.items()
    ]
    # The answers and the record of rustdock's edits to the manifests share rustdock.toml.
    files.extend(c for c in patched.changes if c.path != ANSWERS_FILE)
    answers = with_section(render_answers(plan.preset, plan.answers()), patched.records)
    files.append(
        FileChange(
            ANSWERS_FILE,
            _current(plan, ANSWERS_FILE),
            answers,
            reason="your answers (and rustdock's record of its Cargo.toml edits), reopened by the next run",
        )
    )
    return Outcome(plan=plan, rendered=rendered, findings=findings, changes=tuple(files))
