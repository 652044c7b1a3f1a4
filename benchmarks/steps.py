"""Where a rebuild's time goes: buildah's output lines timestamped, summed per Dockerfile step.

buildah 1.28 prints no per-step timings, so the build's output is read line by line as it
comes and each `STEP n/m` (or `COMMIT`) line opens a new span that the next one closes.
"""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .buildah import Buildah, BuildahError

_STEP = re.compile(r"^(\[\d+/\d+\] )?(STEP \d+/\d+: .*|COMMIT.*)$")
_FINISHED = re.compile(r"Finished `release` profile .* in ([\d.]+)s")


class Step(NamedTuple):
    """One Dockerfile step of a build: its STEP line, how long it took, whether cached."""

    text: str
    seconds: float
    cached: bool


@dataclass(frozen=True)
class TimedBuild:
    """A whole build, its steps, and cargo's own share of it."""

    seconds: float
    steps: tuple[Step, ...]
    cargo: float  # cargo's own "Finished ... in Xs", 0 when cargo did not run
    log: str

    @property
    def compiled(self) -> bool:
        return "Compiling " in self.log


def timed_build(buildah: Buildah, context: Path, tag: str, *, layers: bool = True) -> TimedBuild:
    """Build like Buildah.build, timing each step from when its output lines arrive."""
    cmd = buildah.argv("build", "--pull=never", "--isolation", "chroot", "--format", "docker",
                       f"--layers={str(layers).lower()}", "-t", tag, str(context))
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=buildah.env(), bufsize=1)
    stamped = [(time.monotonic() - start, line.rstrip("\n")) for line in proc.stdout]
    proc.wait()
    total = time.monotonic() - start
    log = "\n".join(line for _, line in stamped)
    if proc.returncode != 0:
        raise BuildahError(f"building {context} failed:\n{log[-2000:]}")
    return TimedBuild(total, _spans(stamped, total), _cargo_seconds(log), log)


def _spans(stamped: list[tuple[float, str]], total: float) -> tuple[Step, ...]:
    opened: list[tuple[float, str, list[str]]] = [(0.0, "start-up (before STEP 1)", [])]
    for at, line in stamped:
        match = _STEP.match(line)
        if match:
            opened.append((at, match.group(0), []))
        else:
            opened[-1][2].append(line)
    ends = [at for at, _, _ in opened[1:]] + [total]
    return tuple(Step(text, end - at, any("Using cache" in line for line in body))
                 for (at, text, body), end in zip(opened, ends))


def _cargo_seconds(log: str) -> float:
    return sum(float(m.group(1)) for m in _FINISHED.finditer(log))


def breakdown_rows(build: TimedBuild) -> list[str]:
    """Markdown rows: step, seconds, cached or run."""
    rows = []
    for step in build.steps:
        text = step.text if len(step.text) <= 70 else step.text[:67] + "..."
        rows.append(f"| `{text.replace('|', '/')}` | {step.seconds:.2f} | "
                    f"{'cache hit' if step.cached else 'ran'} |")
    return rows
