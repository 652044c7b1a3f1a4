"""Their Dockerfile beside the new one, for the review: every difference numbered, and
the lines it is about marked on both sides.

Their side is marked at the line each difference names (the line that set the value or
that a check flagged). Our side is marked where rustdock writes the option, found with
the table below on the rendered text, so a difference reads "[3] here, and there".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .import_review import WRITTEN, Difference, Start, differences
from .plan import Plan

#: option -> the lines of rustdock's Dockerfile that carry it (searched line by line,
#: comments left out except for the syntax line).
ANCHORS: Mapping[str, str] = MappingProxyType({
    "binary": r"--bin\b|/release/|^ENTRYPOINT",
    "features": r"--features\b",
    "no_default_features": r"--no-default-features",
    "all_features": r"--all-features",
    "rust_version": r"^FROM\s+\S*rust",
    "builder": r"^FROM\s+\S*(rust|muslrust)\S*\s+AS\s+(builder|chef|planner)",
    "debian": r"^FROM\s+\S*(bookworm|trixie)",
    "libc": r"--target\b|rustup target add",
    "platforms": r"TARGETARCH|BUILDPLATFORM|--platform=",
    "frontend": r"^# syntax=",
    "caching": r"cargo (build|chef)|--mount=type=cache",
    "tls": r"openssl|libssl",
    "ca_certs": r"ca-certificates|/etc/ssl",
    "tzdata": r"tzdata|zoneinfo",
    "allocator": r"jemalloc|mimalloc",
    "runtime": r"^FROM\s+\S+\s+AS\s+runtime",
    "user": r"^USER\b",
    "uid": r"^USER\b|adduser|useradd|/etc/passwd",
    "healthcheck": r"^HEALTHCHECK\b",
    "health_path": r"^HEALTHCHECK\b",
    "health_args": r"^HEALTHCHECK\b",
    "init": r"\btini\b",
    "ports": r"^EXPOSE\b",
    "args": r"^CMD\b",
    "env": r"^ENV\b",
    "extra_files": r"^COPY\s+(?!--from)(?!Cargo)(?!src\b)",
    "labels": r"^LABEL\b|org\.opencontainers",
    "private_registry": r"type=secret",
    "private_git": r"type=ssh",
})

#: check rule -> the lines of rustdock's Dockerfile that do the same job right (the key's
#: own lines serve the rules not listed: an unpinned runtime, a mismatched release).
RULE_ANCHORS: Mapping[str, str] = MappingProxyType({
    "copy-never-built": r"^COPY\s+--from=",
    "program-missing": r"^(ENTRYPOINT|CMD)\b",
    "shell-form": r"^(ENTRYPOINT|CMD)\b",
    "build-not-locked": r"cargo build",
    "cache-other-target": r"cargo (build|chef)",
    "user-missing": r"^USER\b",
    "healthcheck-tool-absent": r"^HEALTHCHECK\b",
    "secret-build-arg": r"type=secret",
    "secret-persisted": r"type=secret",
    "unset-variable": r"--target\b|TARGETARCH",
})


@dataclass(frozen=True)
class Side:
    """One file: its lines, and the differences (numbered from 1) each line carries."""

    lines: tuple[str, ...]
    #: 0-based line index -> numbers of the differences marked there.
    marks: Mapping[int, tuple[int, ...]]


@dataclass(frozen=True)
class Comparison:
    theirs: Side
    ours: Side
    #: Numbered from 1 in this order.
    differences: tuple[Difference, ...]


def anchored_lines(text: str, key: str, rule: str = "") -> tuple[int, ...]:
    """0-based indexes of the lines of a Dockerfile rustdock wrote that carry an option
    (or that do right what a check rule flagged)."""
    pattern = RULE_ANCHORS.get(rule) or ANCHORS.get(key)
    if pattern is None:
        return ()
    found = re.compile(pattern)
    return tuple(i for i, line in enumerate(text.splitlines())
                 if (key == "frontend" or not line.lstrip().startswith("#")) and found.search(line.strip()))


def compare(start: Start, plan: Plan, dockerfile: str) -> Comparison:
    """Their Dockerfile and `dockerfile` (what the plan renders), differences marked."""
    found = differences(start, plan)
    theirs_text = start.imported.facts.df.text
    theirs: dict[int, list[int]] = {}
    ours: dict[int, list[int]] = {}
    for number, difference in enumerate(found, 1):
        if difference.line > 0:
            theirs.setdefault(difference.line - 1, []).append(number)
        rule = difference.theirs if difference.ours == WRITTEN else ""
        if difference.key or rule:
            for index in anchored_lines(dockerfile, difference.key, rule):
                ours.setdefault(index, []).append(number)
    return Comparison(
        theirs=Side(tuple(theirs_text.splitlines()), _frozen(theirs)),
        ours=Side(tuple(dockerfile.splitlines()), _frozen(ours)),
        differences=found,
    )


def _frozen(marks: dict[int, list[int]]) -> Mapping[int, tuple[int, ...]]:
    return MappingProxyType({index: tuple(dict.fromkeys(numbers)) for index, numbers in marks.items()})
