"""Build-time measurements on Docker with BuildKit: several Dockerfiles of one project,
timed side by side in one run, strategies interleaved so the machine's load falls on all.

A round is: every Dockerfile built cold (`--no-cache`, and its cache mounts given ids
of their own for the round, so nothing of an earlier build is reused: nothing is pruned);
then `edits` one-line source changes, each rebuilt by every Dockerfile in turn (plus a
warm `cargo build --release` of the same change on the host); then one Cargo.toml change
(a version bump), rebuilt by each. The order of the
Dockerfiles rotates from round to round. Every build is logged with the load average.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rustdock.wizard.engine_base import Engine

#: One id per bench run: image tags and cache-mount ids carry it.
RUN_ID = secrets.token_hex(3)
PREFIX = os.environ.get("RUSTDOCK_BENCH_PREFIX", "rdk-bench")

#: The health reply the one-line change edits (tests/projects/notes/src/main.rs).
_HEALTH = re.compile(r'async \{ "ok[^"\n]*\\n" \}')


def load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def loads() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Figure:
    seconds: float
    #: The 1-minute load average (the higher of before and after).
    load: float
    #: When it finished (orders the report's log of every build).
    at: float = field(default_factory=time.monotonic)
    #: What cargo itself reports ("Finished ... in 10.80s", summed over the build's cargo
    #: runs): the compile, without the engine's own work around it. None when not seen.
    cargo: float | None = None


#: cargo's summary line: "Finished `release` profile [optimized] target(s) in 1m 02s".
_FINISHED = re.compile(r"Finished .*? in (?:(\d+)m )?(\d+(?:\.\d+)?)s")


def cargo_seconds(log: str) -> float | None:
    """The seconds cargo reports in a build log, summed (None when it ran no build)."""
    found = [int(m[1] or 0) * 60 + float(m[2]) for m in _FINISHED.finditer(log)]
    return sum(found) if found else None


@dataclass
class Subject:
    """One Dockerfile under test, in its own copy of the project."""

    name: str
    root: Path
    dockerfile: str
    #: (round, kind, figure) for every build, kind in cold/src/manifest.
    builds: list[tuple[int, str, Figure]] = field(default_factory=list)
    size: int = 0
    #: Every image id this subject's tag pointed at (removed at the end).
    images: set[str] = field(default_factory=set)
    #: Rebuilds of this kind are left out (caching=none in quick mode), with the reason.
    skip: dict[str, str] = field(default_factory=dict)

    @property
    def tag(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
        return f"{PREFIX}-{slug}:{RUN_ID}"

    def figures(self, kind: str) -> list[Figure]:
        return [f for _, k, f in self.builds if k == kind]

    def median(self, kind: str) -> float | None:
        figures = self.figures(kind)
        return statistics.median(f.seconds for f in figures) if figures else None


def with_cache_ids(dockerfile: str, scope: str) -> str:
    """Every `--mount=type=cache` gets an id of its own for this scope (a fresh, empty
    cache: the cold build of a round downloads and compiles everything again)."""
    count = iter(range(1000))

    def one(match: re.Match) -> str:
        options = [o for o in match.group(1).split(",") if not o.startswith("id=")]
        return f"--mount={','.join([*options, f'id={PREFIX}-{scope}-{next(count)}'])}"

    return re.sub(r"--mount=((?:[^\s,]+,)*type=cache(?:,[^\s,]+)*)", one, dockerfile)


def edit_source(root: Path, n: int) -> None:
    """A one-line change that alters the program: the /health reply gets the edit's number
    (a comment would leave the binary as it was)."""
    main = root / "src" / "main.rs"
    text = main.read_text()
    edited, count = _HEALTH.subn(f'async {{ "ok (edit {n})\\\\n" }}', text, count=1)
    if count != 1 or edited == text:
        raise ValueError(f"{main}: no /health reply to edit, or it already carries edit {n}")
    main.write_text(edited)


def bump_version(root: Path) -> None:
    """The Cargo.toml change: a release's version bump (`0.1.3` -> `0.1.4`), with the
    package's entry in Cargo.lock updated as cargo updates it. Every Dockerfile that copies
    Cargo.toml before building the dependencies sees a new manifest; cargo itself
    recompiles only the package (CARGO_PKG_VERSION changed). From the version the copy has
    now: the host's copy is bumped once per group and round, a subject's once per round."""
    manifest, lock = root / "Cargo.toml", root / "Cargo.lock"
    text = manifest.read_text()
    name = re.search(r'^name = "([^"]+)"', text, re.M).group(1)
    old = re.search(r'^version = "([^"]+)"', text, re.M).group(1)
    new = re.sub(r"\.(\d+)$", lambda m: f".{int(m[1]) + 1}", old)
    entry = f'name = "{name}"\nversion = "{old}"\n'
    if new == old or entry not in lock.read_text():
        raise ValueError(f"{manifest}: version {old} cannot become {new}, or Cargo.lock lacks it")
    manifest.write_text(text.replace(f'version = "{old}"', f'version = "{new}"', 1))
    lock.write_text(lock.read_text().replace(entry, f'name = "{name}"\nversion = "{new}"\n', 1))


@dataclass
class Host:
    """The same project built with plain cargo on the host, its target/ kept between runs
    (`--host-dir`): a warm `cargo build --release` is the yardstick for a rebuild."""

    root: Path
    builds: list[tuple[int, str, Figure]] = field(default_factory=list)
    warmup: float = 0.0

    def cargo(self) -> float:
        return self.timed()[0]

    def timed(self) -> tuple[float, float | None]:
        """(wall seconds, seconds cargo reports) of one warm build."""
        start = time.monotonic()
        done = subprocess.run(["cargo", "build", "--release", "--locked"], cwd=self.root,
                              check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        return time.monotonic() - start, cargo_seconds(done.stderr)

    def prepare(self, project: Path) -> None:
        """Sources as the project has them (target/ kept), then one untimed build."""
        self.root.mkdir(parents=True, exist_ok=True)
        for item in self.root.iterdir():
            if item.name != "target":
                shutil.rmtree(item) if item.is_dir() else item.unlink()
        shutil.copytree(project, self.root, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("target"))
        self.warmup = self.cargo()


class Bench:
    """Runs the rounds; `log` gets one line per build as it finishes.

    `deadline` (time.time()): a build that would not end before it (judged from the
    slowest earlier build of its kind, cold builds from 15 minutes) is not started; the
    report says which figures the run did not reach.
    """

    def __init__(self, engine: Engine, subjects: Sequence[Subject], host: Host | None,
                 log: Callable[[str], None] = print, deadline: float | None = None,
                 project: Path | None = None) -> None:
        self.engine, self.subjects, self.host, self.log = engine, list(subjects), host, log
        self.deadline, self.project = deadline, project
        self.edit_number = 0

    def _expected(self, kind: str) -> float:
        done = [f.seconds for s in self.subjects for _, k, f in s.builds if k == kind]
        return max(done, default=900.0 if kind == "cold" else 120.0)

    def build(self, subject: Subject, rnd: int, kind: str, *, no_cache: bool = False) -> None:
        if kind in subject.skip:
            return
        if kind != "cold" and not subject.figures("cold"):
            return  # nothing built to rebuild
        if self.deadline and time.time() + self._expected(kind) > self.deadline:
            if not subject.figures(kind):
                subject.skip[kind] = "not reached before the run's deadline"
            self.log(f"bench: round {rnd} {kind:8} {subject.name}: skipped (deadline)")
            return
        if kind == "src":
            self.edit_number += 1
            edit_source(subject.root, self.edit_number)
        started_load = load()
        result = self.engine.build(subject.root, subject.tag, no_cache=no_cache, timeout=7200)
        figure = Figure(result.seconds, max(started_load, load()), cargo=cargo_seconds(result.log))
        subject.builds.append((rnd, kind, figure))
        subject.images.add(self.engine.image(subject.tag).id)
        self.log(f"bench: round {rnd} {kind:8} {subject.name}: {figure.seconds:.1f} s "
                 f"(load {figure.load:.1f})")

    def _edits(self, rnd: int, subjects: Sequence[Subject], edits: int) -> None:
        """One more one-line change, rebuilt by each subject short of `edits` this round,
        and by cargo on the host."""
        for subject in subjects:
            if sum(1 for r, k, _ in subject.builds if r == rnd and k == "src") < edits:
                self.build(subject, rnd, "src")
        if self.host and (not self.deadline or time.time() + 600 < self.deadline):
            if not self.host.warmup and self.project:
                self.log("bench: host build made ready (cold the first time on a machine)")
                self.host.prepare(self.project)
            self.edit_number += 1
            edit_source(self.host.root, self.edit_number)
            started_load = load()
            seconds, reported = self.host.timed()
            self.host.builds.append((rnd, "src", Figure(seconds, max(started_load, load()), cargo=reported)))
            self.log(f"bench: round {rnd} src      host cargo: {seconds:.1f} s")

    def round(self, rnd: int, edits: int) -> None:
        """Each Dockerfile built cold in turn, with a one-line change rebuilt by every one
        built so far after each cold build (so a run cut short by its deadline still has
        rebuilds to compare), then the rest of the edits, then the Cargo.toml change."""
        order = self.subjects[rnd % len(self.subjects):] + self.subjects[:rnd % len(self.subjects)]
        for i, subject in enumerate(order):
            (subject.root / "Dockerfile").write_text(
                with_cache_ids(subject.dockerfile, f"{RUN_ID}-r{rnd}-{self._slug(subject)}"))
            self.build(subject, rnd, "cold", no_cache=True)
            self._edits(rnd, order[: i + 1], edits)
        for _ in range(edits):
            if all(s.skip.get("src") or not s.figures("cold") or
                   sum(1 for r, k, _ in s.builds if r == rnd and k == "src") >= edits for s in order):
                break
            self._edits(rnd, order, edits)
        for subject in order:
            if "manifest" in subject.skip or not subject.figures("cold"):
                continue
            bump_version(subject.root)
            self.build(subject, rnd, "manifest")
        if self.host and self.host.warmup:
            bump_version(self.host.root)
            started_load = load()
            seconds, reported = self.host.timed()
            self.host.builds.append((rnd, "manifest", Figure(seconds, max(started_load, load()),
                                                             cargo=reported)))

    @staticmethod
    def _slug(subject: Subject) -> str:
        return re.sub(r"[^a-z0-9]+", "-", subject.name.lower()).strip("-")

    def sizes(self) -> None:
        for subject in self.subjects:
            if subject.images:
                subject.size = self.engine.image(subject.tag).size

    def cleanup(self) -> None:
        """Remove every image this run made (tags, then the ids earlier builds left)."""
        for subject in self.subjects:
            self.engine.rmi(subject.tag)
            for image in subject.images:
                self.engine.rmi(image)


def stripped_size(engine: Engine, image: str, path: str) -> int:
    """The program alone: copied out of the image, stripped on the host."""
    name = f"{PREFIX}-floor-{RUN_ID}-{secrets.token_hex(2)}"
    work = Path(f"/tmp/{name}")
    work.mkdir()
    try:
        subprocess.run(["docker", "create", "--name", name, image], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["docker", "cp", f"{name}:{path}", str(work / "bin")], check=True)
        subprocess.run(["strip", str(work / "bin")], check=True)
        return (work / "bin").stat().st_size
    finally:
        subprocess.run(["docker", "rm", "-f", name], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
