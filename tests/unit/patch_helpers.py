"""Builders shared by the patch, save and idempotence tests: projects made by hand."""

from __future__ import annotations

from pathlib import Path

from rustdock.wizard.plan import make_plan
from rustdock.wizard.project import Binary, Member, Project


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def crate(root: Path, manifest: str, main: str = "fn main() {}\n", **facts) -> Project:
    write(root, {"Cargo.toml": manifest, "src/main.rs": main})
    return Project(root=root, name="app", binaries=(Binary("app", "app", ".", "src/main.rs"),),
                   members=(Member("app", "."),), **facts)


def workspace(root: Path, files: dict[str, str], member: str = "crates/app", **facts) -> Project:
    write(root, files)
    return Project(root=root, name="app", is_workspace=True, is_virtual=True,
                   binaries=(Binary("app", "app", member, f"{member}/src/main.rs"),),
                   members=(Member("app", member),), **facts)


def plan(project: Project, *sets: str):
    return make_plan(project, overrides=list(sets))


def apply(root: Path, result) -> None:
    for change in result.changes:
        (root / change.path).write_text(change.after, encoding="utf-8")
