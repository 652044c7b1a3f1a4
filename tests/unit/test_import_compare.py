"""Their Dockerfile beside the new one: each difference numbered and marked on both sides
at the lines it is about."""

from __future__ import annotations

from pathlib import Path

from rustdock.wizard.detect import detect
from rustdock.wizard.generate import outcome
from rustdock.wizard.import_compare import ANCHORS, anchored_lines, compare
from rustdock.wizard.import_review import dockerfile_start
from rustdock.wizard.options import OPTIONS_BY_KEY

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def test_every_anchor_names_an_option():
    assert set(ANCHORS) <= set(OPTIONS_BY_KEY)


def test_differences_are_marked_at_their_lines_on_both_sides():
    start = dockerfile_start(detect(SEEDS / "seed001"))
    ours = outcome(start.plan).rendered.dockerfile
    found = compare(start, start.plan, ours)
    numbers = {d.theirs if d.key == "" else (d.key, d.theirs): n for n, d in enumerate(found.differences, 1)}
    # Their side: at the line each difference names (1-based there, 0-based here).
    for number, difference in enumerate(found.differences, 1):
        if difference.line:
            assert number in found.theirs.marks[difference.line - 1]
    # The user made on line 11 and never switched to: marked there, explained as such.
    uid = numbers[("uid", "10001, never used")]
    assert uid in found.theirs.marks[10]
    assert "no USER switches to it" in found.differences[uid - 1].why
    # Our side: where the new file does it (USER), and for their broken COPY, our COPY.
    lines = ours.splitlines()
    assert {lines[i] for i, n in found.ours.marks.items() if uid in n} >= {"USER 10001:10001"}
    copy = numbers[("binary", "copy-never-built")]
    assert all(lines[i].startswith("COPY --from=") for i, n in found.ours.marks.items() if copy in n)
    # A line that became no choice is marked only on their side.
    left = numbers["RUN apk add libc6-compat"]
    assert found.theirs.marks[36] == (left,)
    assert not any(left in n for n in found.ours.marks.values())


def test_anchors_skip_comments_but_find_the_syntax_line():
    text = "# syntax=docker/dockerfile:1\n# USER is set below\nFROM x AS runtime\nUSER 1:1\n"
    assert anchored_lines(text, "frontend") == (0,)
    assert anchored_lines(text, "user") == (3,)
    assert anchored_lines(text, "runtime") == (2,)
    assert anchored_lines(text, "nothing-like-it") == ()
