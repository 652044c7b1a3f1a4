"""The build side of a Dockerfile: every cargo build, where its binaries land, and which
builds only compile dependencies against a stub (the caching step).

Paths are absolute in the stage's filesystem. A segment that is only known at build
time (a triple from a variable or a file) is `*`, so it still matches.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass, field
from functools import cached_property

from ..cargo_config import CargoConfig, read_config
from ..project import Project
from .cargo import CargoCall, cargo_call
from .images import Image, image
from .parse import Dockerfile, Instruction, Stage
from .shell import Command, commands, file_moves

#: Context files that only describe dependencies: copying them keeps a stub a stub.
MANIFEST_FILES = re.compile(
    r"^(\./)?(.*/)?(Cargo\.toml|Cargo\.lock|rust-toolchain(\.toml)?|recipe\.json|\.cargo(/.*)?)/?$"
)
#: Programs whose effect on the filesystem the checks can follow (or that have none).
KNOWN_PROGRAMS = frozenset(
    "apt-get apt apk yum dnf microdnf rm mkdir echo printf touch chmod chown chgrp ln cp mv "
    "install strip cargo rustup adduser useradd addgroup groupadd usermod update-ca-certificates "
    "ls cat true false set test [ which export cd sed grep find du file ldd sha256sum tar "
    "upx objcopy llvm-strip cross xx-cargo cargo-zigbuild xx-apk xx-apt-get xx-verify xx-info "
    "exit esac case if then fi else for do done".split()
)
_UNKNOWN = re.compile(r"\$\{?\w+\}?|@[^@]+@|\$\(.*?\)")


@dataclass(frozen=True)
class Build:
    """One cargo call that compiles: `cargo build`, `cargo install`, `cargo chef cook`."""

    stage: Stage = field(repr=False)
    instruction: Instruction
    call: CargoCall = field(repr=False)
    #: Where cargo runs (WORKDIR, then any `cd`), absolute.
    workdir: str
    #: The target triple it builds for ("*" when it comes from a variable).
    triple: str
    #: The triple is on the command line or in CARGO_BUILD_TARGET: outputs go one level down.
    explicit_target: bool
    profile: str
    #: Absolute target directory ("" unknown).
    target_dir: str
    #: Where the binaries land ("" unknown); may hold `*`.
    out_dir: str
    #: The binaries it writes; None when unknown.
    names: frozenset[str] | None
    #: Compiles only dependencies (a stub main, or cargo chef cook).
    dummy: bool
    #: Cache mount targets of its RUN.
    cache_targets: tuple[str, ...]
    #: RUSTFLAGS in effect (for +crt-static).
    rustflags: str = ""

    @property
    def line(self) -> int:
        return self.instruction.line

    @property
    def libc(self) -> str:
        """"musl", "glibc", "glibc-static" or "" when the triple is unknown."""
        if self.triple.endswith("musl") or "-musl" in self.triple:
            return "musl"
        if "-gnu" in self.triple:
            return "glibc-static" if "+crt-static" in self.rustflags else "glibc"
        return ""

    def in_mount(self, path: str) -> bool:
        return any(path == t or path.startswith(t.rstrip("/") + "/") for t in self.cache_targets)

    @property
    def outputs_persist(self) -> bool:
        """The binaries stay in the image after the RUN (not inside a cache mount)."""
        return bool(self.out_dir) and not self.in_mount(self.out_dir)

    def writes(self, path: str) -> bool:
        """Whether this build writes the file at `path` (a name it builds, in out_dir)."""
        if not self.out_dir:
            return False
        folder, name = posixpath.split(path)
        if not fnmatch.fnmatchcase(folder, self.out_dir) and not fnmatch.fnmatchcase(self.out_dir, folder):
            return False
        return self.names is None or name in self.names or any(ch in name for ch in "*?[")


def stage_image(df: Dockerfile, stage: Stage) -> Image:
    return image(df.root_image(stage))


def absolute(path: str, base: str) -> str:
    return posixpath.normpath(posixpath.join(base or "/", path))


def workdir_of(df: Dockerfile, instruction: Instruction) -> str:
    """The instruction's working directory, the image's own WORKDIR filled in."""
    stage = df.stages[instruction.stage]
    return absolute(instruction.workdir, stage_image(df, stage).workdir or "/")


def run_commands(instruction: Instruction) -> list[Command]:
    return commands(instruction.script, instruction.vars) if instruction.name == "RUN" else []


def is_opaque(command: Command) -> bool:
    """A command whose effect on the filesystem is not followed (a script, make, npm)."""
    program = command.program
    # `amd64)` and `*)` are the arms of a case statement, not programs.
    return program not in KNOWN_PROGRAMS and not program.startswith("cargo") and not program.endswith(")")


def _writes_stub(command: Command) -> bool:
    """`echo 'fn main() {}' > src/main.rs`, `touch src/lib.rs`, `cargo new`/`init`."""
    call = cargo_call(command)
    if call is not None:
        return call.sub in {"new", "init"}
    if command.program not in {"echo", "printf", "touch"}:
        return False
    targets: list[str] = []
    words = command.words
    for index, word in enumerate(words):
        if ">" in word:
            after = word.rsplit(">", 1)[1]
            targets.append(after or (words[index + 1] if index + 1 < len(words) else ""))
    if command.program == "touch":
        targets = list(words[1:])
    return any(t.endswith(".rs") and ("src/" in t or t.startswith("src")) for t in targets)


def _copies_sources(instruction: Instruction) -> bool:
    """A COPY from the build context that brings more than manifests."""
    if instruction.name not in {"COPY", "ADD"} or instruction.flag("from") is not None:
        return False
    return any(not MANIFEST_FILES.match(source) for source in instruction.args[:-1])


class BuildFacts:
    """Every build of a Dockerfile, with what it writes."""

    def __init__(self, df: Dockerfile, project: Project | None) -> None:
        self.df = df
        self.project = project
        self.config = read_config(project.root) if project is not None else CargoConfig()

    @cached_property
    def builds(self) -> tuple[Build, ...]:
        found: list[Build] = []
        for stage in self.df.stages:
            found.extend(self._stage_builds(stage))
        return tuple(found)

    def in_lineage(self, stage: Stage) -> tuple[Build, ...]:
        """Builds whose layers the stage carries: its own and its ancestors'."""
        indexes = {s.index for s in self.df.lineage(stage)}
        return tuple(b for b in self.builds if b.stage.index in indexes)

    def final_builds(self, stage: Stage) -> tuple[Build, ...]:
        return tuple(b for b in self.in_lineage(stage) if not b.dummy and b.call.builds)

    def _stage_builds(self, stage: Stage) -> list[Build]:
        lineage = self.df.lineage(stage)
        # A stub written in an ancestor stage and not yet replaced carries over.
        stub, real = False, False
        for ancestor in reversed(lineage[1:]):
            stub, real = self._stub_after(ancestor.instructions, stub, real)
        builds = []
        for instruction in stage.instructions:
            if _copies_sources(instruction):
                stub, real = False, True
            for command in run_commands(instruction):
                if _writes_stub(command) and not real:
                    stub = True
                call = cargo_call(command)
                if call is not None and (call.sub in {"build", "install"} or call.sub == "chef-cook"):
                    builds.append(self._build(stage, instruction, command, call, stub))
        return builds

    @staticmethod
    def _stub_after(instructions, stub: bool, real: bool) -> tuple[bool, bool]:
        for instruction in instructions:
            if _copies_sources(instruction):
                stub, real = False, True
            if any(_writes_stub(c) for c in run_commands(instruction)) and not real:
                stub = True
        return stub, real

    def _build(self, stage: Stage, instruction: Instruction, command: Command,
               call: CargoCall, stub: bool) -> Build:
        img = stage_image(self.df, stage)
        base = workdir_of(self.df, instruction)
        workdir = absolute(command.cwd, base) if command.cwd else base
        triple, explicit = self._triple(call, instruction, img)
        target_dir = self._target_dir(call, instruction, base, workdir)
        rustflags = command.env.get("RUSTFLAGS") or instruction.vars.get("RUSTFLAGS", "")
        if call.sub == "install":
            out_dir = self._install_dir(call, instruction, img)
        elif target_dir and triple is not None:
            out_dir = posixpath.join(target_dir, *([triple] if explicit else []), call.profile)
        else:
            out_dir = ""
        mounts = tuple(m.get("target", "") for m in instruction.mounts() if m.get("type") == "cache")
        return Build(
            stage=stage, instruction=instruction, call=call, workdir=workdir,
            triple=triple or "", explicit_target=explicit, profile=call.profile,
            target_dir=target_dir, out_dir=out_dir, names=self._names(call, workdir, base),
            dummy=stub or call.sub == "chef-cook",
            cache_targets=tuple(absolute(t, base) for t in mounts if t), rustflags=rustflags,
        )

    def _triple(self, call: CargoCall, instruction: Instruction, img: Image) -> tuple[str | None, bool]:
        """(triple, explicit): None when the image is unknown and nothing names one."""
        given = call.target or instruction.vars.get("CARGO_BUILD_TARGET", "") or self.config.build_target
        if given:
            return _UNKNOWN.sub("*", given), True
        if img.build_target is None:
            return None, False
        if img.build_target:
            return img.build_target, True
        return img.host_triple or None, False

    def _target_dir(self, call: CargoCall, instruction: Instruction, base: str, workdir: str) -> str:
        given = call.target_dir or instruction.vars.get("CARGO_TARGET_DIR", "") or self.config.target_dir
        if given:
            return "" if _UNKNOWN.search(given) else absolute(given, workdir)
        root = absolute(call.manifest_dir, workdir) if call.manifest_dir else workdir
        # `cd member && cargo build` in a workspace still writes to the workspace's target/.
        relative = posixpath.relpath(root, base) if root.startswith(base) else ""
        if self.project is not None and relative not in {"", "."}:
            if any(m.dir == relative for m in self.project.members) and self.project.is_workspace:
                root = base
        return posixpath.join(root, "target")

    @staticmethod
    def _install_dir(call: CargoCall, instruction: Instruction, img: Image) -> str:
        root = call.install_root or instruction.vars.get("CARGO_HOME", "") or img.cargo_home
        if not root or _UNKNOWN.search(root):
            return ""
        return posixpath.join(root, "bin")

    def _names(self, call: CargoCall, workdir: str, base: str) -> frozenset[str] | None:
        project = self.project
        if call.sub == "chef-cook":
            return frozenset()
        if call.bins:
            return frozenset(call.bins)
        if project is None or not project.binaries or call.has("--example", "--examples"):
            return None
        if call.packages:
            return frozenset(b.name for b in project.binaries if b.package in call.packages)
        if call.sub == "install" and call.install_path:
            folder = posixpath.normpath(posixpath.relpath(absolute(call.install_path, workdir), base))
            named = frozenset(b.name for b in project.binaries if b.package_dir == folder)
            return named or None
        if call.sub == "install":  # a tool from a registry or git: not the project's binaries
            return None
        return frozenset(b.name for b in project.binaries)
