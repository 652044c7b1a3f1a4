"""Saving the same plan again changes nothing; one changed choice changes only its edits.

Runs on copies of the detect fixtures (tests/fixtures), through detect, patch and save, and
checks cargo accepts every saved manifest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from rustdock.wizard.detect import DetectError, detect
from rustdock.wizard.patch import patch_project
from rustdock.wizard.plan import make_plan
from rustdock.wizard.save import save

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROJECTS = {"single-crate": ".", "workspace": ".", "bin-rename": ".", "build-assets": ".",
            "openssl-lock": ".", "path-outside": "app", "toolchain": ".", "vendored": "."}
FULL = ["profile=size", "allocator=jemalloc", "allocator_scope=musl-only", "tls=rustls"]


def _copy(tmp_path: Path, name: str) -> Path:
    if not (FIXTURES / name).is_dir():
        pytest.skip(f"fixture {name} is not there yet")
    shutil.copytree(FIXTURES / name, tmp_path / name)
    return tmp_path / name / PROJECTS[name]


def _save(root: Path, sets: list[str]):
    result = patch_project(make_plan(detect(root), overrides=sets))
    save(root, result.changes)
    return result


def _files(root: Path) -> dict[str, str]:
    """The user's files: not rustdock's backups, nor rustdock.toml (its record of edits)."""
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*")
            if p.is_file() and ".rustdock" not in p.parts and p.name != "rustdock.toml"}


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_same_plan_twice_changes_nothing_and_cargo_accepts_it(tmp_path, name):
    root = _copy(tmp_path, name)
    try:
        first = _save(root, FULL)
    except DetectError as err:
        pytest.skip(f"detect cannot read {name} yet: {err}")
    assert first.changes, "the full plan edits every fixture"
    again = patch_project(make_plan(detect(root), overrides=FULL))
    assert again.changes == ()
    if shutil.which("cargo"):
        # The toolchain fixture pins a release that is not installed: use the one that is.
        env = {**os.environ, **_installed_toolchain()}
        done = subprocess.run(["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1"],
                              cwd=root, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr


def test_switching_jemalloc_to_mimalloc_touches_only_allocator_lines(tmp_path):
    root = _copy(tmp_path, "workspace")
    _save(root, FULL)
    before = _files(root)
    result = _save(root, [s if s != "allocator=jemalloc" else "allocator=mimalloc" for s in FULL])
    after = _files(root)
    changed = sorted(p for p in after if after[p] != before[p])
    assert changed == sorted(c.path for c in result.changes if c.path != "rustdock.toml")
    for path in changed:
        removed = [l for l in _diff(before[path], after[path]) if l.startswith("-")]
        assert removed and all("jemalloc" in l.lower() for l in removed), removed


def test_back_to_neutral_restores_the_users_files_byte_for_byte(tmp_path):
    root = _copy(tmp_path, "workspace")
    original = _files(root)
    _save(root, FULL)
    _save(root, ["profile=keep", "allocator=system", "tls=none"])
    assert _files(root) == original


def _installed_toolchain() -> dict[str, str]:
    if shutil.which("rustup") is None or "RUSTUP_TOOLCHAIN" in os.environ:
        return {}
    done = subprocess.run(["rustup", "default"], capture_output=True, text=True)
    name = done.stdout.split()[0] if done.returncode == 0 and done.stdout.split() else ""
    return {"RUSTUP_TOOLCHAIN": name} if name else {}


def _diff(a: str, b: str) -> list[str]:
    import difflib

    return [l for l in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if not l.startswith(("---", "+++", "@@"))]
