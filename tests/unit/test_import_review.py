"""Starting from the project's own Dockerfile: the summary the welcome screen shows and
every difference the review explains."""

from __future__ import annotations

import shutil
from pathlib import Path

from rustdock.wizard.detect import detect
from rustdock.wizard.import_review import dockerfile_start, differences

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def seed_with(tmp_path, seed: str, name: str) -> Path:
    root = tmp_path / seed
    shutil.copytree(SEEDS / seed, root)
    for other in root.glob("*Dockerfile"):
        if other.name != name:
            other.unlink()
    (root / name).rename(root / "Dockerfile")
    return root


def test_no_start_without_a_foreign_dockerfile(tmp_path):
    root = seed_with(tmp_path, "seed001", "Dockerfile")
    (root / "Dockerfile").unlink()
    assert dockerfile_start(detect(root)) is None


def test_summary_counts_findings_choices_and_leftovers(tmp_path):
    start = dockerfile_start(detect(seed_with(tmp_path, "seed001", "Dockerfile")))
    count = len(start.report.findings)
    assert count >= 6
    assert start.summary() == f"{count} findings (2 errors), 10 choices read, 1 line not carried over"


def test_every_difference_has_a_reason(tmp_path):
    start = dockerfile_start(detect(seed_with(tmp_path, "seed002", "alpine-glibc.Dockerfile")))
    found = differences(start)
    by_key = {d.key: d for d in found if d.key}
    # Fixed by the rule the old file broke.
    assert (by_key["libc"].theirs, by_key["libc"].ours, by_key["libc"].line) == ("glibc", "musl", 23)
    assert "alpine has musl" in by_key["libc"].why
    # What the old file did by saying nothing, explained by its finding.
    assert (by_key["user"].theirs, by_key["user"].ours) == ("root", "nonroot")
    assert "runs as root" in by_key["user"].why
    assert all(d.why for d in found)
    # Dockerfile-only bugs and leftovers are listed too, with their lines.
    assert any(d.theirs == "build-not-locked" and d.line == 23 for d in found)
    assert any(d.key == "" and d.line == 5 for d in found)


def test_differences_follow_the_users_later_choices(tmp_path):
    start = dockerfile_start(detect(seed_with(tmp_path, "seed001", "Dockerfile")))
    choices = [d for d in differences(start) if d.key and d.ours != "written by rustdock"]
    assert "runtime" not in {d.key for d in choices} and "ca_certs" not in {d.key for d in choices}
    changed = differences(start, start.plan.with_choice("runtime", "scratch"))
    runtime = next(d for d in changed if d.key == "runtime" and d.ours == "scratch")
    assert (runtime.theirs, runtime.ours, runtime.line) == ("alpine", "scratch", 31)
    assert runtime.why.startswith("Empty: only what rustdock copies in")
