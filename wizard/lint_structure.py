"""Structural checks of a parsed Dockerfile against its Plan.

What hadolint cannot know: that stages referenced exist, that the binary copied into the
runtime is the file cargo wrote for the plan's target, that USER is numeric when non-root
was chosen, that a HEALTHCHECK only runs programs the runtime has, that ENTRYPOINT is exec
form, that EXPOSE matches the port, that downloads are pinned by checksum, and that every
COPY from the build context names a file of the project.
"""

from __future__ import annotations

import glob
import posixpath
import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field

from .lint_dockerignore import ignored
from .plan import Plan

INSTRUCTIONS = frozenset(
    "FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG "
    "ONBUILD STOPSIGNAL HEALTHCHECK SHELL".split()
)
#: `$(cat FILE)` in a RUN becomes `@FILE@`, one shell word whatever its quoting.
_CAT = re.compile(r"\"?\$\(cat ([^)\s]+)\)\"?")
_CAT_WORD = re.compile(r"@([^@]+)@")
_TRIPLE = re.compile(r"^(x86_64|aarch64)-unknown-linux-(musl|gnu)$")
_ARCH_CPU = {"amd64": "x86_64", "arm64": "aarch64"}
_NEEDS_ARGS = frozenset(
    "FROM RUN CMD LABEL EXPOSE ENV ENTRYPOINT USER WORKDIR ARG HEALTHCHECK SHELL".split()
)
_SEPARATORS = frozenset({"&&", "||", ";", "|"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a Dockerfile."""

    #: "parse", "hadolint DL3008", or a structural check's name.
    check: str
    #: 1-based line in the Dockerfile, 0 when it concerns the whole file.
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.check}: {self.message}"


@dataclass
class Stage:
    index: int
    name: str
    base: str
    line: int
    commands: list = field(default_factory=list)
    workdir: str = "/"
    #: The earlier stage this one is built FROM, None for an image.
    parent: Stage | None = None


class Dockerfile:
    """The parsed instructions, split into stages."""

    def __init__(self, commands: Iterable) -> None:
        self.commands = list(commands)
        self.stages: list[Stage] = []
        self.preamble = []
        for cmd in self.commands:
            name = _name(cmd)
            if name == "FROM":
                self._add_stage(cmd)
            elif self.stages:
                self.stages[-1].commands.append(cmd)
                if name == "WORKDIR" and cmd.value:
                    stage = self.stages[-1]
                    stage.workdir = posixpath.normpath(posixpath.join(stage.workdir, cmd.value[0]))
            else:
                self.preamble.append(cmd)

    def _add_stage(self, cmd) -> None:
        words = [w for w in cmd.value if w]
        base = words[0] if words else ""
        name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else ""
        parent = self.stage(base)
        stage = Stage(len(self.stages), name, base, cmd.start_line, parent=parent)
        if parent is not None:
            stage.workdir = parent.workdir
        self.stages.append(stage)

    def stage(self, ref: str) -> Stage | None:
        """The stage a `FROM x` or `--from=x` means: a name or an index, defined so far."""
        for stage in self.stages:
            if stage.name and stage.name.lower() == ref.lower():
                return stage
        if ref.isdigit() and int(ref) < len(self.stages):
            return self.stages[int(ref)]
        return None

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None


def _name(cmd) -> str:
    return (cmd.cmd or "").upper()


def flag(cmd, name: str) -> str | None:
    prefix = f"--{name}="
    return next((f[len(prefix):] for f in cmd.flags if f.startswith(prefix)), None)


def _lineage(stage: Stage | None) -> list[Stage]:
    chain = []
    while stage is not None:
        chain.append(stage)
        stage = stage.parent
    return chain


def shell_words(text: str) -> list[list[str]]:
    """A RUN line as simple commands (word lists), `$(cat F)` kept as one word `@F@`."""
    text = _CAT.sub(lambda m: f"@{m.group(1)}@", text)
    try:
        words = shlex.split(text, comments=False)
    except ValueError:
        words = text.split()
    commands, current = [], []
    for word in words:
        if word in _SEPARATORS:
            commands.append(current)
            current = []
        else:
            current.append(word)
    commands.append(current)
    return [c for c in commands if c]


# -- checks -----------------------------------------------------------------------------


def check_instructions(df: Dockerfile) -> list[Problem]:
    problems = []
    for cmd in df.commands:
        name = _name(cmd)
        if name not in INSTRUCTIONS:
            problems.append(Problem("instruction", cmd.start_line, f"unknown instruction {cmd.original!r}"))
        elif name in {"COPY", "ADD"} and len([v for v in cmd.value if v]) < 2:
            problems.append(Problem("instruction", cmd.start_line, f"{name} needs a source and a destination"))
        elif name in _NEEDS_ARGS and not any(cmd.value):
            problems.append(Problem("instruction", cmd.start_line, f"{name} without arguments"))
    if df.preamble and any(_name(c) != "ARG" for c in df.preamble):
        problems.append(Problem("instruction", df.preamble[0].start_line, "only ARG may come before FROM"))
    if not df.stages:
        problems.append(Problem("instruction", 0, "no FROM: there is no stage"))
    return problems


def _looks_like_image(ref: str) -> bool:
    return ref == "scratch" or any(ch in ref for ch in ":/@") or ref.startswith("$")


def check_stage_refs(df: Dockerfile) -> list[Problem]:
    """FROM <stage>, COPY --from and RUN --mount from= name a stage defined earlier."""
    problems = []
    seen: list[str] = []
    for cmd in df.commands:
        name = _name(cmd)
        refs = []
        if name == "FROM" and cmd.value:
            refs.append(cmd.value[0])
        source = flag(cmd, "from") if name in {"COPY", "ADD"} else None
        if source is not None:
            refs.append(source)
        for mount in (f for f in cmd.flags if f.startswith("--mount=")):
            for part in mount[len("--mount="):].split(","):
                if part.startswith("from="):
                    refs.append(part[len("from="):])
        for ref in refs:
            if ref.lower() in seen or _looks_like_image(ref) or (ref.isdigit() and int(ref) < len(seen)):
                continue
            problems.append(
                Problem("stage-ref", cmd.start_line, f"{ref!r} is not a stage defined above")
            )
        if name == "FROM":
            words = [w for w in cmd.value if w]
            seen.append(words[2].lower() if len(words) >= 3 else f"\0{len(seen)}")
    return problems


def _final_copies(stage: Stage) -> dict[str, tuple]:
    """Destination path -> (COPY command, source) for every file COPY puts in the stage."""
    placed = {}
    for cmd in stage.commands:
        if _name(cmd) not in {"COPY", "ADD"} or len(cmd.value) < 2:
            continue
        *sources, dest = cmd.value
        for source in sources:
            target = dest
            if dest.endswith("/") or len(sources) > 1:
                target = posixpath.join(dest, posixpath.basename(source.rstrip("/")))
            placed[posixpath.normpath(posixpath.join(stage.workdir, target))] = (cmd, source)
    return placed


def _last(stage: Stage, instruction: str):
    """The stage's last instruction of a kind (the one that counts), or None."""
    found = [c for c in stage.commands if _name(c) == instruction]
    return found[-1] if found else None


def _entry_words(stage: Stage):
    return _last(stage, "ENTRYPOINT")


def check_entrypoint(df: Dockerfile, plan: Plan) -> list[Problem]:
    final = df.final
    if final is None:
        return []
    entry = _entry_words(final)
    if entry is None:
        return [Problem("entrypoint", final.line, "the final stage has no ENTRYPOINT")]
    if not entry.json:
        return [Problem("entrypoint", entry.start_line, "ENTRYPOINT is not exec form (a JSON array): signals never reach the program")]
    placed = _final_copies(final)
    program = list(entry.value)
    problems = []
    if program and program[0] == "/tini":
        if "/tini" not in placed:
            problems.append(Problem("entrypoint", entry.start_line, "/tini is run but never copied into the final stage"))
        program = program[2:] if program[1:2] == ["--"] else program[1:]
    if not program or program[0] not in placed:
        problems.append(Problem("entrypoint", entry.start_line, f"{program[:1]} is not a file copied into the final stage"))
    return problems


def _expected_triples(plan: Plan) -> set[str]:
    env = "musl" if plan.libc == "musl" else "gnu"
    return {f"{_ARCH_CPU[a]}-unknown-linux-{env}" for a in str(plan.platforms).split(",")}


def _cargo_build(stages: list[Stage]) -> tuple[Stage, object, list[str]] | None:
    """The last `cargo build` of the stage or its ancestors: (stage, RUN, words)."""
    for stage in stages:
        for cmd in reversed(stage.commands):
            if _name(cmd) != "RUN":
                continue
            for words in shell_words(" ".join(cmd.value)):
                if words[:2] == ["cargo", "build"] or words[1:3] == ["cargo", "build"]:
                    return stage, cmd, words
    return None


def _option(words: list[str], name: str) -> str | None:
    for index, word in enumerate(words):
        if word == name and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def _target_problems(stages: list[Stage], target: str | None, plan: Plan, line: int) -> list[Problem]:
    wanted = _expected_triples(plan)
    if target is None:
        if plan.libc == "glibc" and wanted == {"x86_64-unknown-linux-gnu"}:
            return []
        return [Problem("binary-path", line, f"cargo build has no --target, but the plan needs {', '.join(sorted(wanted))}")]
    if target.startswith("@"):
        # Cross build: the triple comes from a file the TARGETARCH switch wrote.
        path = target.strip("@")
        echo = re.compile(r"echo\s+\"?([\w-]+)\"?\s*>\s*" + re.escape(path) + r"(?![\w/.-])")
        written = {
            match
            for stage in stages
            for cmd in stage.commands
            if _name(cmd) == "RUN"
            for match in echo.findall(" ".join(cmd.value))
            if _TRIPLE.match(match)
        }
        missing = wanted - written
        if missing:
            return [Problem("binary-path", line, f"{path} never names {', '.join(sorted(missing))}")]
        return []
    if target not in wanted:
        return [Problem("binary-path", line, f"cargo builds --target {target}, but the plan needs {', '.join(sorted(wanted))}")]
    return []


def _moved_to(stage: Stage, run, built: str, source: str) -> bool:
    """The RUN that builds also copies the built file to `source` (a cache-mounted or
    shell-computed target directory is only reachable inside that RUN)."""
    for words in shell_words(" ".join(run.value)):
        if words[:1] not in (["cp"], ["mv"], ["install"]) or len(words) < 3:
            continue
        args = [w for w in words[1:] if not w.startswith("-")]
        if len(args) < 2:
            continue
        *froms, dest = args
        dest = posixpath.normpath(posixpath.join(stage.workdir, dest))
        lands = {dest, posixpath.join(dest, posixpath.basename(built))}
        froms = {posixpath.normpath(posixpath.join(stage.workdir, f)) for f in froms}
        if built in froms and source in lands:
            return True
    return False


def check_binary_path(df: Dockerfile, plan: Plan) -> list[Problem]:
    """The runtime copies exactly the file cargo wrote for the plan's target."""
    final = df.final
    entry = _entry_words(final) if final else None
    if final is None or entry is None or not entry.value:
        return []
    placed = _final_copies(final)
    words = list(entry.value)
    program = words[2] if words[:2] == ["/tini", "--"] and len(words) > 2 else words[0]
    if program not in placed:
        return []  # check_entrypoint reports it
    cmd, source = placed[program]
    line = cmd.start_line
    origin = df.stage(flag(cmd, "from") or "")
    if origin is None:
        return [Problem("binary-path", line, f"{program} is not copied from a build stage")]
    found = _cargo_build(_lineage(origin))
    if found is None:
        return [Problem("binary-path", line, f"stage {origin.name or origin.index} never runs cargo build")]
    stage, run, build = found
    problems = []
    chosen = _option(build, "--bin")
    if chosen is not None and chosen != plan.binary:
        problems.append(Problem("binary-path", run.start_line, f"cargo builds --bin {chosen}, but the plan ships {plan.binary}"))
    target = _option(build, "--target")
    problems += _target_problems(_lineage(origin), target, plan, run.start_line)
    release = f"target/{target}/release" if target else "target/release"
    built = posixpath.normpath(posixpath.join(stage.workdir, release, plan.binary))
    source = posixpath.normpath(posixpath.join(origin.workdir, source))
    if source != built and not _moved_to(stage, run, built, source):
        shown = _CAT_WORD.sub(r"$(cat \1)", built)
        problems.append(Problem("binary-path", line, f"copies {source}, but cargo writes {shown}"))
    return problems


def check_user(final: Stage, plan: Plan) -> list[Problem]:
    user = _last(final, "USER")
    last = user.value[0] if user is not None and user.value else ""
    if plan.user == "nonroot":
        if not last:
            return [Problem("user", final.line, "no USER in the final stage: the program runs as root")]
        if not re.fullmatch(r"\d+(:\d+)?", last):
            return [Problem("user", user.start_line, f"USER {last} is not numeric (Kubernetes runAsNonRoot needs a number)")]
        if int(last.split(":")[0]) != plan.uid:
            return [Problem("user", user.start_line, f"USER {last}, but the plan says uid {plan.uid}")]
    elif last and last.split(":")[0] not in {"0", "root"}:
        return [Problem("user", user.start_line, f"USER {last}, but the plan runs as root")]
    return []


def _installs(stage: Stage, package: str) -> bool:
    for cmd in stage.commands:
        if _name(cmd) != "RUN":
            continue
        for words in shell_words(" ".join(cmd.value)):
            if words[:2] in (["apt-get", "install"], ["apk", "add"]) and package in words:
                return True
    return False


def check_healthcheck(final: Stage, plan: Plan) -> list[Problem]:
    """A HEALTHCHECK only runs programs the runtime image has."""
    cmd = _last(final, "HEALTHCHECK")
    if cmd is None or cmd.value[:1] == ("NONE",):
        if plan.healthcheck != "none":
            return [Problem("healthcheck", final.line, f"healthcheck={plan.healthcheck}, but there is no HEALTHCHECK")]
        return []
    line = cmd.start_line
    if not cmd.json:
        if plan.runtime not in {"alpine", "debian-slim"}:
            return [Problem("healthcheck", line, f"shell-form HEALTHCHECK needs /bin/sh, which {plan.runtime} lacks")]
        words = shlex.split(" ".join(cmd.value[1:]))
    else:
        words = list(cmd.value[1:])
    program = words[0] if words else ""
    placed = _final_copies(final)
    if program == "curl":
        if plan.runtime != "debian-slim" or not _installs(final, "curl"):
            return [Problem("healthcheck", line, f"curl is not installed in the {plan.runtime} runtime")]
    elif program == "wget":
        if plan.runtime != "alpine":
            return [Problem("healthcheck", line, f"{plan.runtime} has no wget (only alpine's busybox does)")]
    elif program not in placed:
        return [Problem("healthcheck", line, f"HEALTHCHECK runs {program or 'nothing'}, which is not in the runtime image")]
    return []


def check_copy_sources(
    df: Dockerfile, plan: Plan, generated: Iterable[str], dockerignore: str
) -> list[Problem]:
    """Every COPY from the build context names something the project (or the render)
    has, and .dockerignore does not drop it."""
    root = plan.project.root
    made = {g.strip("/") for g in generated}
    problems = []
    for cmd in df.commands:
        if _name(cmd) not in {"COPY", "ADD"} or flag(cmd, "from") is not None:
            continue
        for source in cmd.value[:-1]:
            if "://" in source:
                continue
            relative = posixpath.normpath(source.lstrip("/"))
            if relative.startswith(".."):
                problems.append(Problem("copy-source", cmd.start_line, f"{source} is outside the build context"))
                continue
            if relative in made:
                continue
            wildcard = any(ch in relative for ch in "*?[")
            if wildcard:
                matches = glob.glob(str(root / relative))
                if matches or relative in {"Cargo.lock*"}:
                    continue
            elif (root / relative).exists() or relative == ".":
                if dockerignore and relative != "." and ignored(relative, dockerignore):
                    problems.append(Problem("copy-source", cmd.start_line, f"{source} is excluded by .dockerignore"))
                continue
            problems.append(Problem("copy-source", cmd.start_line, f"{source} does not exist in the project"))
    return problems


def check_expose(final: Stage, plan: Plan) -> list[Problem]:
    """EXPOSE documents exactly the plan's port (none when the port is 0)."""
    exposed = {
        word.split("/")[0]
        for cmd in final.commands
        if _name(cmd) == "EXPOSE"
        for word in cmd.value
    }
    wanted = {str(plan.port)} if plan.port else set()
    if exposed != wanted:
        shown = ", ".join(sorted(exposed)) or "nothing"
        return [Problem("expose", final.line, f"EXPOSE {shown}, but the plan's port is {plan.port}")]
    return []


def check_remote_add(df: Dockerfile) -> list[Problem]:
    """A download in ADD is pinned by --checksum, or a changed file goes unnoticed."""
    return [
        Problem("remote-add", cmd.start_line, f"ADD {source} has no --checksum=sha256:...")
        for cmd in df.commands
        if _name(cmd) == "ADD" and flag(cmd, "checksum") is None
        for source in cmd.value[:-1]
        if "://" in source
    ]


def check_emulated_run(final: Stage, plan: Plan) -> list[Problem]:
    """A multi-arch runtime stage runs nothing: for the other architecture a RUN there
    executes under QEMU, which the product promises never to need."""
    if plan.platforms == "amd64":
        return []
    return [
        Problem("emulated-run", cmd.start_line, f"RUN in the {plan.platforms} runtime stage runs under QEMU")
        for cmd in final.commands
        if _name(cmd) == "RUN"
    ]


def _final_stage_problems(final: Stage | None, plan: Plan) -> list[Problem]:
    if final is None:
        return []
    return [
        *check_user(final, plan),
        *check_healthcheck(final, plan),
        *check_expose(final, plan),
        *check_emulated_run(final, plan),
    ]


def structure_problems(
    df: Dockerfile, plan: Plan, generated: Iterable[str] = (), dockerignore: str = ""
) -> list[Problem]:
    return [
        *check_instructions(df),
        *check_stage_refs(df),
        *check_entrypoint(df, plan),
        *check_binary_path(df, plan),
        *_final_stage_problems(df.final, plan),
        *check_copy_sources(df, plan, generated, dockerignore),
        *check_remote_add(df),
    ]
