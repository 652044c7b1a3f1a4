"""`make bench`: build times and image sizes on Docker (BuildKit), rustdock's Dockerfiles
against docker init's and cargo-chef's, on a real-crates service; and the wizard's speed.

Writes benchmarks/RESULTS.md, rewritten after every build so a long run always leaves
what it measured. Stand-in base images come from benchmarks/standins.py; builds reach
crates.io (and deb.debian.org) through the machine's network as a user's builds would.

    python -m benchmarks.run            full: 2 rounds, 3 one-line edits each
    python -m benchmarks.run --quick    1 round, 2 edits; caching=none's rebuilds not timed
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from rustdock.wizard.engine_base import Engine, NoEngine

from .buildkit import RUN_ID, Bench, Host, Subject, loads, stripped_size, with_cache_ids
from .containers import harness_engine
from .offline import why_not_offline
from .peers import SEEDS, chef_dockerfile, docker_init_dockerfile
from .pipeline import copy_project, generate, plan_outcome
from .results import Report
from .relayer import prefixed, relayer
from .standins import being_made, ensure, from_refs, host_toolchain, in_use, qualify
from .wizard_figures import wizard_figures

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
#: The service the build targets are judged on (293 crates in its lock, 209 compiled).
PROJECT = "notes"
#: rustdock's plan for it: glibc on distroless/cc (musl needs a standard library rustup
#: would download; static glibc on scratch is a rule error for a program that resolves
#: host names). frontend=builtin: no `# syntax=` line, nothing to pull.
SETS = ("libc=glibc", "runtime=distroless-cc", "frontend=builtin")
#: Directories notes' build reads besides src/: docker init mounts only src/, Cargo.toml
#: and Cargo.lock, so its users add these (sqlx's offline query data and migrations).
DOCKER_INIT_EXTRA = (".sqlx", "migrations")
#: Where the bench's BuildKit-written copies of the stand-ins live (benchmarks/relayer.py).
BASES = f"rdk-bench-{RUN_ID}"
HOST_DIR = Path(os.environ.get("RUSTDOCK_BENCH_HOST_DIR", "/var/tmp/rustdock-bench/host-notes"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="rustdock build benchmarks (Docker/BuildKit)")
    parser.add_argument("--quick", action="store_true",
                        help="1 round of 2 edits; caching=none's rebuilds (a full compile each) left out")
    parser.add_argument("--rounds", type=int, help="cold builds per Dockerfile (full: 2)")
    parser.add_argument("--edits", type=int, help="one-line edits per round (full: 3)")
    parser.add_argument("--deadline", metavar="HH:MM",
                        help="UTC time by which the run must end: builds that would not end "
                             "by then are left out (and listed as not reached)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 2)
    edits = args.edits or (2 if args.quick else 3)
    try:
        engine = harness_engine()
    except NoEngine as err:
        print(f"bench: {err}")
        return 2
    if engine.name != "docker":
        print(f"bench: needs a Docker daemon (BuildKit); found only {engine.name}")
        return 2
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="rdk-bench-"))
    mode = "quick (`--quick`)" if args.quick else "full"
    report = Report(args.out, machine(engine), mode, rounds, edits)
    report.write()
    print("bench: the wizard's figures", flush=True)
    report.wizard = wizard_figures()
    report.write()
    groups = subjects(work, quick=args.quick)
    sizes = _size_projects(work)
    refs = {r for text in [*(s.dockerfile for g in groups for s in g), *sizes.values()]
            for r in from_refs(text)}
    bases: list[str] = []
    try:
        bases = _bases(engine, refs)
        for group in groups:
            for subject in group:
                subject.dockerfile = prefixed(subject.dockerfile, BASES)
        report.not_measured = _not_measured(work)
        report.sizes = _sizes(engine, sizes, report, work)
        report.write()
        return _builds(engine, args, rounds, edits, groups, report, work, started)
    finally:
        engine.rmi(*bases)


def _bases(engine: Engine, refs: set[str]) -> list[str]:
    """The stand-ins the Dockerfiles name (made only when missing: checking them all
    would wait for every test session that holds them), copied under BASES."""
    while not all(r == "scratch" or engine.exists(qualify(r)) for r in refs):
        if being_made():
            time.sleep(20)  # another session is making stand-ins: use what it makes
            continue
        ensure(refs, engine)
    print(f"bench: base images under {BASES}/ (see benchmarks/relayer.py)", flush=True)
    with in_use():
        return relayer(engine, sorted(refs), BASES)


def _builds(engine: Engine, args, rounds: int, edits: int, groups: list[list[Subject]],
            report: Report, work: Path, started: float) -> int:
    # Made ready before its first timed edit (a cold build the first time on a machine).
    host = Host(HOST_DIR)
    report.host = host
    deadline = _deadline(args.deadline)

    def log(line: str) -> None:
        print(line, flush=True)
        report.write()

    benches = []
    try:
        # Group by group (rustdock's default beside the two peers first: the targets),
        # strategies interleaved inside a group, a report after every build.
        for group in groups:
            report.subjects += group
            bench = Bench(engine, group, host, log, deadline, work / "subjects" / "host")
            benches.append(bench)
            for rnd in range(rounds):
                bench.round(rnd, edits)
            bench.sizes()
            floor_subject = next((s for s in group if s.name == "rustdock caching=cache-mounts"), None)
            if floor_subject:
                report.notes_floor = stripped_size(engine, floor_subject.tag, f"/app/{PROJECT}")
            report.write()
    finally:
        for bench in benches:
            bench.cleanup()
        report.footer = (f"Whole benchmark run: {(time.monotonic() - started) / 60:.1f} minutes "
                         f"(run id {RUN_ID}); load average at the end: {loads()}.")
        report.write()
        shutil.rmtree(work, ignore_errors=True)
    print(f"bench: wrote {args.out}")
    return 0


def _deadline(text: str | None) -> float | None:
    if not text:
        return None
    hours, minutes = (int(n) for n in text.split(":"))
    now = time.gmtime()
    at = time.mktime((now.tm_year, now.tm_mon, now.tm_mday, hours, minutes, 0, 0, 0, 0))
    return at - time.timezone  # mktime read it as local time; HH:MM is UTC


def subjects(work: Path, *, quick: bool) -> list[list[Subject]]:
    """The Dockerfiles under test, each in its own copy of the project, in two groups."""
    root = work / "subjects"
    copy_project(PROJECT, root / "host")

    def rustdock(caching: str) -> Subject:
        dest = copy_project(PROJECT, root / f"rustdock-{caching}")
        outcome = generate(dest, [*SETS, f"caching={caching}"])
        return Subject(f"rustdock caching={caching}", dest, outcome.rendered.dockerfile)

    init_root = copy_project(PROJECT, root / "docker-init")
    chef_root = copy_project(PROJECT, root / "chef-readme")
    group_a = [
        rustdock("cache-mounts"),
        Subject("docker init", init_root, docker_init_dockerfile(init_root, DOCKER_INIT_EXTRA)),
        Subject("cargo-chef README", chef_root, chef_dockerfile(chef_root)),
    ]
    none = rustdock("none")
    if quick:
        why = "not timed in quick mode: every change reruns its one cargo step from nothing"
        none.skip = {"src": why, "manifest": why}
    group_b = [rustdock("dummy-main"), rustdock("cargo-chef"), none]
    return [group_a, group_b]


def machine(engine: Engine) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}} {{.Driver}}"],
                          capture_output=True, text=True).stdout.strip()
    return [
        f"- CPU: {cpu}, {len(os.sched_getaffinity(0))} cores; memory {mem:.0f} GiB",
        f"- Kernel {platform.release()}; {_os_release()}",
        f"- Docker Engine {info.replace(' ', ', storage driver ')}; builds with `{engine.description or engine.name}`, "
        "BuildKit's built-in Dockerfile frontend (no `# syntax=` line)",
        f"- rustc {host_toolchain().version} (host toolchain, also the builder stand-ins' toolchain)",
        f"- Python {platform.python_version()}; run at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Load average at the start (1/5/15 min): {loads()} (each build's load is logged below: "
        "a figure taken while something else ran beside the bench shows it there)",
    ]


def _os_release() -> str:
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return "unknown OS"


SIZE_CASES = (("libc=glibc-static", "runtime=scratch", "profile=size"),
              ("libc=glibc-static", "runtime=scratch", "profile=size", "ca_certs=true"))


def _size_projects(work: Path) -> dict[Path, str]:
    """hello-http generated for each size case: {project copy: Dockerfile}."""
    out = {}
    for i, sets in enumerate(SIZE_CASES):
        root = copy_project("hello-http", work / f"size-{i}")
        out[root] = generate(root, [*sets, "frontend=builtin"]).rendered.dockerfile
    return out


def _sizes(engine: Engine, projects: dict[Path, str], report: Report, work: Path) -> list:
    """The scratch image against the stripped binary, on the std-only sample (notes cannot
    be scratch here: see why below)."""
    rows = []
    for i, ((root, dockerfile), sets) in enumerate(zip(projects.items(), SIZE_CASES)):
        # Cache mounts of their own: the default id (the target path) is shared with every
        # other build on the daemon, and cargo waits for another build's lock on /app/target.
        (root / "Dockerfile").write_text(with_cache_ids(prefixed(dockerfile, BASES), f"{RUN_ID}-size-{i}"))
        tag = f"rdk-bench-size-{i}:{RUN_ID}"
        try:
            engine.build(root, tag, timeout=3600)
            size = engine.image(tag).size
            floor = stripped_size(engine, tag, "/app/hello-http")
        finally:
            engine.rmi(tag)
        rows.append(("hello-http", " ".join(sets), size, floor))
    notes = plan_outcome(copy_project(PROJECT, work / "size-notes"),
                         ["libc=glibc-static", "runtime=scratch", "frontend=builtin"])
    report.notes_scratch = "; ".join(f"{f.rule}: {f.message}" for f in notes.errors) or "allowed"
    return rows


def _not_measured(work: Path) -> list[str]:
    lines = [f"| seed {name} | {why} |" for name, why in SEEDS]
    plans = [
        ["libc=musl", "runtime=scratch"],
        ["libc=musl", "builder=alpine", "runtime=scratch"],
        ["platforms=amd64,arm64", "libc=glibc", "runtime=distroless-cc"],
    ]
    for i, sets in enumerate(plans):
        result = plan_outcome(copy_project("hello-http", work / f"blocked-{i}"), sets)
        lines.append(f"| rustdock {' '.join(sets)} | "
                     f"{why_not_offline(result.plan, result.rendered.dockerfile) or 'builds (unexpected)'} |")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
