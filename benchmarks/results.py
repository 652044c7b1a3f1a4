"""benchmarks/RESULTS.md: what a bench run measured, the targets judged at its top.

Rewritten after every build, so an interrupted run still leaves its figures (and says
which ones are missing). The judge's thresholds are issue 9's, fixed here; a figure that
misses one is printed as missed, with the figure.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from .buildkit import Figure, Host, Subject
from .peers import CHEF_CHANGES, CHEF_SOURCE, DOCKER_INIT_CHANGES, DOCKER_INIT_SOURCE

MAIN = "rustdock caching=cache-mounts"
PEERS = ("docker init", "cargo-chef README")
COLD_OVER_SRC, SRC_OVER_HOST, FLOOR_SLACK = 10.0, 1.3, 1_000_000


def cargo_median(figures: list[Figure]) -> float | None:
    """The median of what cargo itself reported, over the figures where it did."""
    seen = [f.cargo for f in figures if f.cargo is not None]
    return statistics.median(seen) if seen else None


def verdict(met: bool) -> str:
    return "met" if met else "**NOT met**"


def cell(figures: list[Figure]) -> str:
    if not figures:
        return "—"
    seconds = statistics.median(f.seconds for f in figures)
    lo, hi = min(f.load for f in figures), max(f.load for f in figures)
    load = f"{lo:.1f}" if f"{lo:.1f}" == f"{hi:.1f}" else f"{lo:.1f}–{hi:.1f}"
    return f"{seconds:.1f} (load {load})"


@dataclass
class Report:
    out: Path
    machine: list[str]
    mode: str
    rounds: int
    edits: int
    wizard: list[str] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    host: Host | None = None
    #: (project, plan, image bytes, stripped binary bytes)
    sizes: list[tuple[str, str, int, int]] = field(default_factory=list)
    notes_floor: int = 0
    notes_scratch: str = ""
    not_measured: list[str] = field(default_factory=list)
    footer: str = "Run still going (or stopped): figures above are those measured so far."

    # -- figures ---------------------------------------------------------------------

    def subject(self, name: str) -> Subject | None:
        return next((s for s in self.subjects if s.name == name), None)

    def host_src(self) -> float | None:
        figures = [f for _, k, f in self.host.builds if k == "src"] if self.host else []
        return statistics.median(f.seconds for f in figures) if figures else None

    # -- text ------------------------------------------------------------------------

    def write(self) -> None:
        self.out.write_text("\n".join(self.lines()) + "\n")

    def lines(self) -> list[str]:
        return [
            "# rustdock benchmarks", "",
            "Made by `make bench` (`python -m benchmarks.run`; `make bench QUICK=1` for the quick "
            "mode) on Docker with BuildKit; every figure is a real run on this machine. Times in "
            f"seconds, each with the 1-minute load average while it ran (2 cores, shared). Mode: "
            f"{self.mode}: {self.rounds} round(s) of: a cold build of each Dockerfile, "
            f"{self.edits} one-line source changes rebuilt by each, one Cargo.toml change "
            "rebuilt by each; medians. Sizes in MB (10^6 bytes) as `docker image inspect` "
            "reports them.", "",
            "## Targets (issue 9)", "", *self.targets(), "",
            "## Machine", "", *self.machine, "",
            *self.builds_section(),
            *self.sizes_section(),
            "## The wizard", "", *(self.wizard or ["(not measured yet)"]), "",
            *self.dockerfiles_section(),
            "## Not measured: cannot build here", "", "| Dockerfile | why |", "|---|---|",
            *self.not_measured, "",
            self.footer,
        ]

    def targets(self) -> list[str]:
        out = []
        host = self.host_src()
        main = self.subject(MAIN)
        cold, src = (main.median("cold"), main.median("src")) if main else (None, None)
        if cold and src:
            out.append(f"- One-line change, {MAIN} (rustdock's default) on notes: rebuilds in "
                       f"**{src:.1f} s**, **{cold / src:.1f}x** faster than its {cold:.0f} s cold "
                       f"build (target >= {COLD_OVER_SRC:g}x: {verdict(cold / src >= COLD_OVER_SRC)}).")
            if host:
                out.append(f"- Same rebuild against a warm `cargo build --release` of the same "
                           f"change on the host ({host:.1f} s): **{src / host:.2f}x** (target <= "
                           f"{SRC_OVER_HOST:g}x: {verdict(src / host <= SRC_OVER_HOST)}).")
            out += self.split_line(main, src)
            for peer in PEERS:
                other = self.subject(peer)
                theirs = other.median("src") if other else None
                if theirs:
                    out.append(f"- Same rebuild against {peer}'s Dockerfile ({theirs:.1f} s): "
                               f"{src / theirs:.2f}x its time (target: faster: "
                               f"{verdict(src < theirs)}).")
                else:
                    out.append(f"- Against {peer}'s Dockerfile: not measured yet.")
        else:
            out.append(f"- One-line change, {MAIN}: not measured yet.")
        for name in ("rustdock caching=dummy-main", "rustdock caching=cargo-chef"):
            s = self.subject(name)
            if s and s.median("cold") and s.median("src"):
                c, r = s.median("cold"), s.median("src")
                tail = (f", {r / host:.2f}x the host's warm build (<= {SRC_OVER_HOST:g}x: "
                        f"{verdict(r / host <= SRC_OVER_HOST)})" if host else "")
                out.append(f"- {name}: one-line change {r:.1f} s, {c / r:.1f}x faster than cold "
                           f"(>= {COLD_OVER_SRC:g}x: {verdict(c / r >= COLD_OVER_SRC)}){tail}.")
        for project, plan, size, floor in self.sizes:
            out.append(f"- Scratch image, {project} {plan}: **{size / 1e6:.2f} MB** against a "
                       f"{floor / 1e6:.2f} MB stripped binary (target <= binary + 1 MB: "
                       f"{verdict(size <= floor + FLOOR_SLACK)}).")
        if self.notes_scratch:
            out.append(f"- Scratch image of notes itself: not buildable here. rustdock refuses "
                       f"libc=glibc-static with runtime=scratch for it ({self.notes_scratch}), and "
                       "libc=musl needs a standard library rustup would download; see its "
                       "distroless/cc size below.")
        return out

    def split_line(self, main: Subject, src: float) -> list[str]:
        """Where a one-line rebuild's seconds go: cargo's own compile (what it reports) and
        the engine's work around it, for rustdock's default, the peers and the host."""
        own = cargo_median(main.figures("src"))
        if own is None:
            return []
        host = cargo_median([f for _, k, f in self.host.builds if k == "src"]) if self.host else None
        parts = []
        for peer in PEERS:
            other = self.subject(peer)
            if other and other.median("src") and cargo_median(other.figures("src")) is not None:
                theirs = cargo_median(other.figures("src"))
                parts.append(f"{peer}: {theirs:.1f} s of cargo + {other.median('src') - theirs:.1f} s")
        peers = f" ({'; '.join(parts)})" if parts else ""
        on_host = f"; on the host cargo reports {host:.1f} s for the same change" if host else ""
        return [f"- Where that rebuild's time goes: cargo reports **{own:.1f} s** of compiling "
                f"inside the build{on_host}; the other {src - own:.1f} s are the engine's "
                f"(the build's set-up, the step's container and cache mounts, committing and "
                f"exporting the image){peers}. Medians of each build's own log."]

    def builds_section(self) -> list[str]:
        if not self.subjects:
            return []
        host = self.host_src()
        out = ["## Builds: tests/projects/notes (axum + sqlx + reqwest/rustls: 293 crates in "
               "its lock, 209 compiled)", ""]
        if self.host:
            manifest = [f for _, k, f in self.host.builds if k == "manifest"]
            own = cargo_median([f for _, k, f in self.host.builds if k == "src"])
            reported = f" (cargo reports {own:.1f})" if own is not None else ""
            out += [f"Host: warm `cargo build --release --locked` of the same one-line change: "
                    f"**{cell([f for _, k, f in self.host.builds if k == 'src'])}**{reported}; of the "
                    f"Cargo.toml change: {cell(manifest)}. (Its untimed warm-up build in "
                    f"{self.host.root} took {self.host.warmup:.0f} s.)", ""]
        out += ["| Dockerfile | cold | one-line src change | of which cargo | Cargo.toml change "
                "(version bump) | cold / src | src / host | image MB |",
                "|---|---|---|---|---|---|---|---|"]
        for s in self.subjects:
            cold, src = s.median("cold"), s.median("src")
            ratio = f"{cold / src:.1f}x" if cold and src else "—"
            vs_host = f"{src / host:.2f}x" if src and host else "—"
            size = f"{s.size / 1e6:.1f}" if s.size else "—"
            cold_cell, src_cell, manifest = (
                cell(s.figures(k)) if s.figures(k) or k not in s.skip else s.skip[k]
                for k in ("cold", "src", "manifest"))
            own = cargo_median(s.figures("src"))
            out.append(f"| {s.name} | {cold_cell} | {src_cell} | "
                       f"{f'{own:.1f}' if own is not None else '—'} | {manifest} | "
                       f"{ratio} | {vs_host} | {size} |")
        if self.notes_floor:
            out += ["", f"notes' stripped binary (copied out of the {MAIN} image and stripped): "
                    f"{self.notes_floor / 1e6:.2f} MB; its distroless/cc base is the rest of "
                    "rustdock's image."]
        out += ["", "Every build, in the order it ran (seconds, load average):", "",
                "| round | kind | Dockerfile | seconds | load |", "|---|---|---|---|---|"]
        for r, k, name, f in self.log():
            out.append(f"| {r} | {k} | {name} | {f.seconds:.1f} | {f.load:.1f} |")
        return [*out, ""]

    def log(self) -> list[tuple[int, str, str, Figure]]:
        rows = [(f.at, r, k, s.name, f) for s in self.subjects for r, k, f in s.builds]
        if self.host:
            rows += [(f.at, r, k, "host cargo", f) for r, k, f in self.host.builds]
        return [(r, k, n, f) for _, r, k, n, f in sorted(rows, key=lambda row: row[0])]

    def sizes_section(self) -> list[str]:
        if not self.sizes:
            return []
        out = ["## Image size against the stripped binary", "",
               "The scratch target is judged on the std-only sample (tests/projects/hello-http): "
               "the image holds the binary, passwd/group for the non-root user (and the CA "
               "bundle where asked); the floor is the same binary copied out of the image and "
               "stripped on the host.", "",
               "| project | plan | image MB | stripped binary MB | overhead MB |", "|---|---|---|---|---|"]
        for project, plan, size, floor in self.sizes:
            out.append(f"| {project} | {plan} | {size / 1e6:.2f} | {floor / 1e6:.2f} | "
                       f"{(size - floor) / 1e6:.2f} |")
        return [*out, ""]

    def dockerfiles_section(self) -> list[str]:
        return [
            "## The Dockerfiles", "",
            "- rustdock: `rustdock generate --write --set libc=glibc --set runtime=distroless-cc "
            "--set frontend=builtin --set caching=<strategy>` on a copy of the project.",
            f"- docker init: from {DOCKER_INIT_SOURCE}. Changed: {DOCKER_INIT_CHANGES}. As "
            "written it cannot build notes: it bind-mounts only src/, Cargo.toml and Cargo.lock, "
            "and `sqlx::migrate!`/`query!` read migrations/ and .sqlx/ at compile time, so "
            "those two bind mounts are added the way its users add them.",
            f"- cargo-chef: from {CHEF_SOURCE}. Changed: {CHEF_CHANGES}. It has no "
            ".dockerignore and no cache mounts, as in the README.",
            "- Cold builds run with `--no-cache`, and every cache mount gets an id of its own "
            "for the round, so a cold build reuses nothing of an earlier one (nothing is pruned). "
            "The one-line change edits the /health reply in src/main.rs (the binary changes); "
            "the Cargo.toml change bumps the package version (Cargo.lock updated with `cargo "
            "metadata --offline`, as a user's cargo would).", "",
        ]
