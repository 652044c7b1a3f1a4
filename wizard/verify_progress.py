"""Which step a build is on, read from its log as it streams.

BuildKit's plain progress prints `#7 [builder 4/9] RUN cargo build ...` when a step
starts; buildah and podman print `STEP 4/9: RUN cargo build ...` (prefixed with `[2/3]`
for the stage in multi-stage builds).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

_BUILDKIT = re.compile(r"^#\d+ \[(?P<step>(?!internal\b)[^\]]+)\] (?P<what>\S.*)$")
_BUILDAH = re.compile(r"^(?:\[(?P<stage>\d+/\d+)\] )?STEP (?P<step>\d+/\d+): (?P<what>.+)$")


@dataclass(frozen=True)
class Step:
    #: "builder 4/9" (BuildKit: stage and step), "4/9" (buildah).
    number: str
    #: The instruction, shortened: "RUN cargo build --release --locked ...".
    what: str


def step_of(line: str) -> Step | None:
    """The step a log line starts, or None for any other line."""
    match = _BUILDKIT.match(line)
    if match is None:
        match = _BUILDAH.match(line)
        if match is None:
            return None
        stage = match.group("stage")
        number = f"stage {stage}, {match.group('step')}" if stage else match.group("step")
        return Step(number, _short(match.group("what")))
    return Step(match.group("step"), _short(match.group("what")))


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Progress:
    """The current step and the time since the build started."""

    started: float = field(default_factory=time.monotonic)
    step: Step | None = None
    lines: int = 0

    def feed(self, line: str) -> bool:
        """Read one log line; True when it starts a new step."""
        self.lines += 1
        step = step_of(line)
        if step is not None and step != self.step:
            self.step = step
            return True
        return False

    def line(self, phase: str = "building") -> str:
        elapsed = time.monotonic() - self.started
        where = f"step {self.step.number}: {self.step.what}" if self.step else "starting"
        return f"{phase}, {where} ({elapsed:.0f} s)"
