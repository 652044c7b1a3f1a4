"""The fixed cost of a container rebuild, and what a different Dockerfile shape saves of it.

The generated caching=cache-mounts Dockerfile (one `COPY . .`) is built on the trivial
vendored project, then variants of it made here (never by the wizard): the named COPY steps
the other strategies use (and cache-mounts used before it was measured here), and docker
init's shape (sources bind-mounted into the build RUN, no COPY layers), with buildah's layer
cache on and off. Each one is timed per step on a one-line change.
"""

from __future__ import annotations

import re
import shutil
import statistics
from pathlib import Path

from .buildah import Buildah
from .steps import TimedBuild, breakdown_rows, timed_build
from .vendorgen import edit_main

_SOURCE_COPY = re.compile(r"^COPY (?!--from)[^\n]*\n", re.M)
_BINDS = ("Cargo.toml", "Cargo.lock", ".cargo", "vendor", "src")


def _split(dockerfile: str) -> tuple[str, str]:
    """(builder stage, the rest): the rest starts at the second FROM."""
    second = [m.start() for m in re.finditer(r"^FROM ", dockerfile, re.M)][1]
    return dockerfile[:second], dockerfile[second:]


def named_copies(dockerfile: str, named: str) -> str:
    """The builder's `COPY . .` replaced by the named source COPY steps of `named` (the same
    plan rendered with caching=none)."""
    builder, rest = _split(dockerfile)
    steps = "".join(_SOURCE_COPY.findall(_split(named)[0]))
    if "COPY . .\n" not in builder or not steps:
        raise ValueError("expected one `COPY . .` in the builder and named COPY steps to put there")
    return builder.replace("COPY . .\n", steps, 1) + rest


def bind_mounts(dockerfile: str) -> str:
    """docker init's shape: no source COPY; the build RUN bind-mounts the sources.

    buildah 1.28 rejects relative bind targets, so they are absolute under WORKDIR /app.
    """
    builder, rest = _split(dockerfile)
    binds = "".join(f"--mount=type=bind,source={s},target=/app/{s} \\\n    " for s in _BINDS)
    builder = _SOURCE_COPY.sub("", builder).replace("RUN --mount=type=cache", f"RUN {binds}--mount=type=cache", 1)
    return builder + rest


def measure(buildah: Buildah, root: Path, cache_mounts: Path, named: str) -> list[str]:
    """Markdown: a per-step breakdown of the generated file's rebuild, then the variants.

    `named` is the same plan rendered with caching=none, whose COPY steps name each path.
    """
    generated = (root / "Dockerfile").read_text()
    tag = "localhost/bench/overhead:latest"
    buildah.rmi(tag)
    buildah.prune()
    shutil.rmtree(cache_mounts, ignore_errors=True)
    cold = timed_build(buildah, root, tag)
    variants = (
        ("as generated (one `COPY . .`), --layers", generated, True),
        ("named source COPY steps (4 here), --layers", named_copies(generated, named), True),
        ("as generated, --layers=false", generated, False),
        ("bind-mounted sources (docker init shape), --layers=false", bind_mounts(generated), False),
        ("bind-mounted sources, --layers", bind_mounts(generated), True),
    )
    rows, first, edits = [], None, 0
    for name, text, layers in variants:
        (root / "Dockerfile").write_text(text)
        timed_build(buildah, root, tag, layers=layers)  # settle this shape's layers
        runs: list[TimedBuild] = []
        for _ in range(2):
            edits += 1
            edit_main(root, edits)
            runs.append(timed_build(buildah, root, tag, layers=layers))
        first = first or runs[-1]
        noop = timed_build(buildah, root, tag, layers=layers)
        median = statistics.median(r.seconds for r in runs)
        correct = "yes" if all(r.compiled for r in runs) else "**NO: the edit never reached cargo**"
        rows.append(f"| {name} | {median:.2f} | {statistics.median(r.cargo for r in runs):.2f} | "
                    f"{noop.seconds:.2f} | {correct} |")
    (root / "Dockerfile").write_text(generated)
    buildah.rmi(tag)
    buildah.prune()
    return [
        f"Cold build of this shape: {cold.seconds:.1f} s. Per-step breakdown of a one-line "
        f"src/ rebuild of the generated Dockerfile ({first.seconds:.2f} s in all; cargo's own "
        f"`Finished` time {first.cargo:.2f} s; a step's time runs from its `STEP` line to the "
        "next one, so a RUN's includes its container set-up and layer commit):", "",
        "| step | s | |", "|---|---|---|", *breakdown_rows(first), "",
        "The same one-line change with other Dockerfile shapes and buildah flags (medians of 2; "
        "`no change` is a rebuild with nothing edited: the pure fixed cost):", "",
        "| shape | one-line src change | of which cargo | no change | edit compiled? |",
        "|---|---|---|---|---|", *rows, "",
    ]
