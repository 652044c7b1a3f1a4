"""Which Dockerfile frontend reads the files rustdock writes (the `frontend` option).

BuildKit turns a Dockerfile into a build with a "frontend". `# syntax=docker/dockerfile:1`
on the first line makes it fetch the current one from Docker Hub, which air-gapped
builders cannot; without the line it uses the one built into the engine, which in
Docker 20.10 is older and knows less syntax. The table below lists the syntax that
built-in frontend rejects ("Unknown flag"), as Docker 20.10.24's own parser answered
(tests/e2e/test_builtin_frontend.py asks it again for every Dockerfile of a covering set):
a Dockerfile written for frontend=builtin must use none of it.
"""

from __future__ import annotations

import re

from . import versions
from .plan import Plan

#: The first line of a Dockerfile that asks for the current frontend.
SYNTAX_LINE = f"# syntax={versions.DOCKERFILE_FRONTEND}"

#: (pattern on a logical line, the syntax, the docker/dockerfile release that brought it)
NEWER_THAN_BUILTIN = (
    (r"^(COPY|ADD)\s(.*\s)?--link\b", "COPY --link", "1.4"),
    (r"^(COPY|ADD)\s(.*\s)?--parents\b", "COPY --parents", "1.7-labs"),
    (r"^(COPY|ADD)\s(.*\s)?--exclude\b", "COPY --exclude", "1.7-labs"),
    (r"^ADD\s(.*\s)?--checksum\b", "ADD --checksum", "1.6"),
    (r"^ADD\s(.*\s)?--keep-git-dir\b", "ADD --keep-git-dir", "1.5"),
    (r"^RUN\s(.*\s)?--network\b", "RUN --network", "1.3"),
    (r"^RUN\s(.*\s)?--security\b", "RUN --security", "1.1-labs"),
    (r"^HEALTHCHECK\s(.*\s)?--start-interval\b", "HEALTHCHECK --start-interval", "1.6"),
    (r"^(RUN|COPY|ADD)\s(.*\s)?<<-?[\"']?\w+", "heredocs", "1.4"),
)


def syntax_line(plan: Plan) -> str:
    """The `# syntax=` line the plan's Dockerfile starts with, "" for the built-in one."""
    return SYNTAX_LINE if plan.frontend == "dockerfile-1" else ""


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, instruction with continuations joined), comments left out."""
    found, buf, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if not buf:
            start = number
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        found.append((start, (buf + line).strip()))
        buf = ""
    return found


def builtin_gaps(dockerfile: str) -> list[tuple[int, str, str]]:
    """(line, syntax, release) of everything the built-in frontend of Docker 20.10
    cannot read; [] when it reads the whole file."""
    gaps = []
    for number, line in logical_lines(dockerfile):
        for pattern, what, release in NEWER_THAN_BUILTIN:
            if re.search(pattern, line, re.I):
                gaps.append((number, what, release))
    return gaps
