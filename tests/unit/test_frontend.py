"""Option `frontend`: the `# syntax=` line or none, and nothing the built-in frontend lacks."""

from __future__ import annotations

import pytest

from rustdock.wizard.detect import detect
from rustdock.wizard.frontend import SYNTAX_LINE, builtin_gaps
from rustdock.wizard.lint import frontend_problems
from rustdock.wizard.meta import MARKER, written_by_rustdock
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render


@pytest.fixture
def project(fixture_copy):
    return detect(fixture_copy("single-crate"))


def test_the_default_asks_for_the_current_frontend(project):
    text = render(make_plan(project)).dockerfile
    assert text.splitlines()[:2] == [SYNTAX_LINE, MARKER]
    assert SYNTAX_LINE == "# syntax=docker/dockerfile:1"


def test_builtin_leaves_the_line_out_and_keeps_the_rest(project):
    default = render(make_plan(project, overrides=["caching=cache-mounts"])).dockerfile
    builtin = render(make_plan(project, overrides=["caching=cache-mounts", "frontend=builtin"])).dockerfile
    assert builtin.splitlines()[0] == MARKER
    assert builtin == default.replace(SYNTAX_LINE + "\n", "", 1)
    assert "--mount=type=cache" in builtin  # the built-in frontend reads cache mounts
    assert written_by_rustdock(builtin)


@pytest.mark.parametrize("line, what", [
    ("COPY --link src /app/src", "COPY --link"),
    ("COPY --chown=1:1 --link a b", "COPY --link"),
    ("RUN <<EOF\necho hi\nEOF", "heredocs"),
    ("RUN --network=none cargo build", "RUN --network"),
    ("ADD --checksum=sha256:00 https://x/y /y", "ADD --checksum"),
    ("HEALTHCHECK --start-interval=1s CMD [\"/app/x\"]", "HEALTHCHECK --start-interval"),
    ("COPY --parents a/b ./", "COPY --parents"),
])
def test_syntax_newer_than_the_builtin_frontend_is_found(line, what):
    gaps = builtin_gaps(f"FROM scratch\n{line}\n")
    assert [(number, found) for number, found, _ in gaps] == [(2, what)]


@pytest.mark.parametrize("line", [
    "RUN --mount=type=cache,target=/app/target --mount=type=secret,id=t cargo build",
    "COPY --chmod=0755 --from=builder /x /y",
    "ADD --chmod=0755 https://github.com/krallin/tini/releases/download/v0.19.0/tini-static-${TARGETARCH} /tini",
    "FROM --platform=$BUILDPLATFORM rust:1.95 AS builder",
    "# COPY --link is newer, but this is a comment",
    "RUN echo '--link' > /note",
])
def test_what_the_builtin_frontend_reads(line):
    assert builtin_gaps(f"FROM scratch\n{line}\n") == []


def test_lint_flags_a_builtin_plan_with_a_syntax_line(project):
    plan = make_plan(project, overrides=["frontend=builtin"])
    text = render(plan).dockerfile
    assert frontend_problems(text, plan) == []
    problems = frontend_problems(SYNTAX_LINE + "\n" + text + "COPY --link a b\n", plan)
    assert sorted(p.check for p in problems) == ["frontend", "frontend"]
    assert frontend_problems(SYNTAX_LINE + "\n" + text, make_plan(project)) == []
