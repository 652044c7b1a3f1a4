"""The welcome screen's offer, headless: what `rustdock check` finds in their Dockerfile,
how much becomes choices, and one line for a file that cannot be read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rustdock.wizard.check import check_dockerfile
from rustdock.wizard.detect import detect
from rustdock.wizard.import_offer import dockerfile_offer

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def project_with(tmp_path: Path, dockerfile: bytes | None) -> Path:
    root = Path(shutil.copytree(SEEDS / "seed001", tmp_path / "seed001"))
    if dockerfile is None:
        (root / "Dockerfile").unlink()
    else:
        (root / "Dockerfile").write_bytes(dockerfile)
    return root


def test_offer_counts_what_check_finds(tmp_path):
    root = project_with(tmp_path, (SEEDS / "seed001" / "Dockerfile").read_bytes())
    offer = dockerfile_offer(detect(root))
    report = check_dockerfile(root)
    by = {s: sum(f.severity == s for f in report.findings) for s in ("error", "warning", "tip")}
    assert by["error"] == 2 and by["warning"] >= 1
    assert offer.counts() == f"2 errors, {by['warning']} warnings, {by['tip']} tip{'s' * (by['tip'] != 1)}"
    assert offer.detail().startswith(f"Dockerfile · rustdock check: {offer.counts()} · 10 choices read")
    assert offer.detail().endswith("1 line not carried over")


def test_no_offer_without_a_foreign_dockerfile_or_with_saved_answers(tmp_path):
    assert dockerfile_offer(detect(project_with(tmp_path, None))) is None
    root = project_with(tmp_path / "saved", b"FROM rust:1.80\n")
    (root / "rustdock.toml").write_text('[answers]\nruntime = "scratch"\n')
    assert detect(root).saved_answers and dockerfile_offer(detect(root)) is None


@pytest.mark.parametrize("content,problem", [
    (b"FROM rust:1.80 AS b\nFROMM alpine\n", "line 2: unknown instruction 'FROMM'; BuildKit rejects it"),
    (b"", "empty, no instruction in it"),
    (b"\x00\x01ELF\x02", "a binary file, not a Dockerfile"),
])
def test_a_file_that_cannot_be_read_is_one_line(tmp_path, content, problem):
    offer = dockerfile_offer(detect(project_with(tmp_path, content)))
    assert offer.start is None and offer.problem == problem
    assert offer.detail() == f"Dockerfile cannot be read: {problem}. Start fresh below."
    assert "\n" not in offer.detail() and str(tmp_path) not in offer.detail()
