"""Base images BuildKit can cache on: each stand-in copied into an image BuildKit wrote.

Docker 20.10's BuildKit reuses no step built on an image `docker import` made: every RUN
and COPY after such a FROM runs again, build after build, so dummy-main and cargo-chef
would rebuild every dependency on every change (a registry image is cached normally).
Stand-ins made by recipe 6 (benchmarks/standins.py) are written by BuildKit already; for
older ones, and so the bench never depends on which recipe made them, the bench builds
on copies of its own: `rdk-bench-<run>/<name>` (same files, same config), and every
Dockerfile it times names those (the one change made to any of them, to every one alike).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rustdock.wizard.engine_base import Engine

_FROM = re.compile(r"^(\s*FROM\s+(?:--\S+\s+)*)(\S+)(.*)$", re.I | re.M)


def prefixed(dockerfile: str, prefix: str) -> str:
    """Every base image a FROM names gets `prefix/` before it (stages and scratch kept)."""
    stages: set[str] = set()

    def one(match: re.Match) -> str:
        head, ref, tail = match.groups()
        alias = re.search(r"\bAS\s+(\S+)", tail, re.I)
        keep = ref.lower() in stages or ref == "scratch"
        if alias:
            stages.add(alias.group(1).lower())
        return match.group(0) if keep else f"{head}{prefix}/{ref}{tail}"

    return _FROM.sub(one, dockerfile)


def _config_lines(engine: Engine, ref: str) -> list[str]:
    info = engine.image(ref)
    lines = [f"ENV {json.dumps(k)[1:-1]}={json.dumps(v)}" for k, _, v in (e.partition("=") for e in info.env)]
    lines += [f"LABEL {k}={json.dumps(v)}" for k, v in info.labels.items()]
    if info.workdir:
        lines.append(f"WORKDIR {info.workdir}")
    if info.user:
        lines.append(f"USER {info.user}")
    if info.entrypoint:
        lines.append(f"ENTRYPOINT {json.dumps(list(info.entrypoint))}")
    if info.cmd:
        lines.append(f"CMD {json.dumps(list(info.cmd))}")
    return lines


def relayer(engine: Engine, refs: Iterable[str], prefix: str) -> list[str]:
    """Make `prefix/<ref>` for each ref (a BuildKit-written copy); returns the tags made."""
    made = []
    for ref in dict.fromkeys(refs):
        if ref == "scratch":
            continue
        name = f"{prefix}/{ref}" if ":" in ref.rsplit("/", 1)[-1] else f"{prefix}/{ref}:latest"
        context = Path(tempfile.mkdtemp(prefix="rdk-bench-relayer-"))
        try:
            (context / "Dockerfile").write_text("\n".join(
                [f"FROM {ref} AS rootfs", "FROM scratch", "COPY --from=rootfs / /",
                 *_config_lines(engine, ref), ""]))
            engine.build(context, name, timeout=3600)
        finally:
            shutil.rmtree(context, ignore_errors=True)
        made.append(name)
    return made
