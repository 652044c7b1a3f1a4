"""Generate and write a project's Dockerfile with rustdock's real pipeline."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from rustdock.wizard.detect import detect
from rustdock.wizard.generate import Outcome, outcome
from rustdock.wizard.plan import make_plan
from rustdock.wizard.save import save

PROJECTS = Path(__file__).resolve().parent.parent / "tests" / "projects"


def copy_project(name_or_dir: str | Path, dest: Path) -> Path:
    """A fresh copy of a sample project (without any target/ left by a local build).

    Files get the time of the copy, as a fresh checkout does: copies that kept the
    originals' times would be older than a variant built earlier (test_verify's writers
    edit main.rs), and cargo would take that variant's binary for fresh."""
    src = Path(name_or_dir) if Path(name_or_dir).is_absolute() else PROJECTS / name_or_dir
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target"), dirs_exist_ok=True,
                    copy_function=shutil.copy)
    return dest


def plan_outcome(root: Path, sets: Sequence[str]) -> Outcome:
    return outcome(make_plan(detect(root), overrides=sets))


def generate(root: Path, sets: Sequence[str]) -> Outcome:
    """Render the plan `--set`s describe and write every file, like `rustdock generate --write`.

    Raises AssertionError naming the rule when the plan has an error: such a plan is a
    test-setup mistake, not something to build.
    """
    result = plan_outcome(root, sets)
    if result.errors:
        raise AssertionError("; ".join(f"{f.rule}: {f.message}" for f in result.errors))
    save(root, result.changes, force=True)
    return result
