"""Starting from their Dockerfile: the frontend its `# syntax=` line implies, where each
answer came from, and what `rustdock generate` claims on stderr (only what holds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rustdock.wizard.cli import main
from rustdock.wizard.detect import detect
from rustdock.wizard.import_review import dockerfile_start, kept
from rustdock.wizard.import_syntax import syntax_directive

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def seed(tmp_path: Path, name: str = "seed001", first_lines: str = "") -> Path:
    root = Path(shutil.copytree(SEEDS / name, tmp_path / name))
    text = (root / "Dockerfile").read_text()
    (root / "Dockerfile").write_text(first_lines + text)
    return root


@pytest.mark.parametrize("text,found", [
    ("FROM x\n", None),
    ("# syntax=docker/dockerfile:1\nFROM x\n", ("docker/dockerfile:1", 1)),
    ("# escape=`\n#Syntax = docker/dockerfile:1.7-labs\nFROM x\n", ("docker/dockerfile:1.7-labs", 2)),
    # A comment first: BuildKit stops looking for directives, so this is only a comment.
    ("# build me\n# syntax=docker/dockerfile:1\nFROM x\n", None),
    ("\n# syntax=docker/dockerfile:1\nFROM x\n", None),
])
def test_syntax_directive_only_at_the_top(text, found):
    assert syntax_directive(text) == found


@pytest.mark.parametrize("first,frontend,left", [
    ("", "builtin", False),
    ("# syntax=docker/dockerfile:1.4\n", "dockerfile-1", False),
    ("# syntax=docker/dockerfile:1-labs\n", "dockerfile-1", True),
])
def test_frontend_follows_their_syntax_line(tmp_path, first, frontend, left):
    start = dockerfile_start(detect(seed(tmp_path, first_lines=first)))
    assert start.plan.frontend == frontend
    assert start.plan.dockerfile_line("frontend")
    assert any("syntax=" in lo.why for lo in start.imported.left_over) == left


def test_a_user_created_but_never_switched_to_comes_from_its_line(tmp_path):
    start = dockerfile_start(detect(seed(tmp_path)))
    held = {key: (value, line) for key, value, line in kept(start)}
    # seed001 makes `userland` with --uid 10001 on line 11 and never says USER.
    assert held["uid"] == (10001, 11) and held["user"] == ("nonroot", 11)
    # The check still puts its finding where the image starts running as root.
    assert start.imported.lines["user"] == 31


def test_generate_claims_only_what_it_kept(tmp_path, capsys):
    root = seed(tmp_path)
    code = main(["generate", str(root), "--stdout", "--set", "runtime=scratch"])
    out, err = capsys.readouterr()
    assert code == 0, err
    claimed = next(line for line in err.splitlines() if "from your Dockerfile:" in line)
    assert "runtime=" not in claimed and "rust_version=1.73 (line 2)" in claimed
    assert "uid=10001 (line 11)" in claimed and "frontend=builtin (no # syntax= line)" in claimed
    assert "replaced runtime: alpine (line 31) -> scratch (your --set)" in err
    # Every claim holds in what was written.
    assert "FROM rust:1.73-" in out and "USER 10001:10001" in out
    assert not out.startswith("# syntax=") and "FROM scratch" in out
