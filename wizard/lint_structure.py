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
from dataclasses import dataclass

from .dockerfile.parse import Dockerfile, Stage
from .dockerfile.shell import shell_words
from .lint_dockerignore import ignored
from .plan import Plan

#: `$(cat FILE)` in a RUN is the word `@FILE@` (dockerfile.shell): shown back as written.
_CAT_WORD = re.compile(r"@([^@]+)@")
_TRIPLE = re.compile(r"^(x86_64|aarch64)-unknown-linux-(musl|gnu)$")
_ARCH_CPU = {"amd64": "x86_64", "arm64": "aarch64"}


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


def _workdir(stage: Stage) -> str:
    """The stage's WORKDIR at its end, absolute ("/" when it never sets one)."""
    return posixpath.normpath(posixpath.join("/", stage.workdir))


# -- checks -----------------------------------------------------------------------------


def check_instructions(df: Dockerfile) -> list[Problem]:
    """The parser already rejects unknown instructions and missing arguments (lint.parse
    reports those); what is left is a file with no stage at all."""
    if not df.stages:
        return [Problem("instruction", 0, "no FROM: there is no stage")]
    return []


def _looks_like_image(ref: str) -> bool:
    return ref == "scratch" or any(ch in ref for ch in ":/@") or ref.startswith("$")


def check_stage_refs(df: Dockerfile) -> list[Problem]:
    """FROM <stage>, COPY --from and RUN --mount from= name a stage defined earlier."""
    problems = []
    seen: list[str] = []
    for cmd in df.instructions:
        name = cmd.name
        refs = []
        if name == "FROM" and cmd.args:
            refs.append(cmd.args[0])
        source = cmd.flag("from") if name in {"COPY", "ADD"} else None
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
                Problem("stage-ref", cmd.line, f"{ref!r} is not a stage defined above")
            )
        if name == "FROM":
            words = [w for w in cmd.args if w]
            seen.append(words[2].lower() if len(words) >= 3 else f"\0{len(seen)}")
    return problems


def _final_copies(stage: Stage) -> dict[str, tuple]:
    """Destination path -> (COPY command, source) for every file COPY puts in the stage."""
    placed = {}
    for cmd in stage.instructions:
        if cmd.name not in {"COPY", "ADD"} or len(cmd.args) < 2:
            continue
        *sources, dest = cmd.args
        for source in sources:
            target = dest
            if dest.endswith("/") or len(sources) > 1:
                target = posixpath.join(dest, posixpath.basename(source.rstrip("/")))
            placed[posixpath.normpath(posixpath.join(_workdir(stage), target))] = (cmd, source)
    return placed


def _last(stage: Stage, instruction: str):
    """The stage's last instruction of a kind (the one that counts), or None."""
    found = [c for c in stage.instructions if c.name == instruction]
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
        return [Problem("entrypoint", entry.line, "ENTRYPOINT is not exec form (a JSON array): signals never reach the program")]
    placed = _final_copies(final)
    program = list(entry.args)
    problems = []
    if program and program[0] == "/tini":
        if "/tini" not in placed:
            problems.append(Problem("entrypoint", entry.line, "/tini is run but never copied into the final stage"))
        program = program[2:] if program[1:2] == ["--"] else program[1:]
    if not program or program[0] not in placed:
        problems.append(Problem("entrypoint", entry.line, f"{program[:1]} is not a file copied into the final stage"))
    return problems


def _expected_triples(plan: Plan) -> set[str]:
    env = "musl" if plan.libc == "musl" else "gnu"
    return {f"{_ARCH_CPU[a]}-unknown-linux-{env}" for a in str(plan.platforms).split(",")}


def _cargo_build(stages: list[Stage]) -> tuple[Stage, object, list[str]] | None:
    """The last `cargo build` of the stage or its ancestors: (stage, RUN, words)."""
    for stage in stages:
        for cmd in reversed(stage.instructions):
            if cmd.name != "RUN":
                continue
            for words in shell_words(" ".join(cmd.args)):
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
            for cmd in stage.instructions
            if cmd.name == "RUN"
            for match in echo.findall(" ".join(cmd.args))
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
    for words in shell_words(" ".join(run.args)):
        if words[:1] not in (["cp"], ["mv"], ["install"]) or len(words) < 3:
            continue
        args = [w for w in words[1:] if not w.startswith("-")]
        if len(args) < 2:
            continue
        *froms, dest = args
        dest = posixpath.normpath(posixpath.join(_workdir(stage), dest))
        lands = {dest, posixpath.join(dest, posixpath.basename(built))}
        froms = {posixpath.normpath(posixpath.join(_workdir(stage), f)) for f in froms}
        if built in froms and source in lands:
            return True
    return False


def check_binary_path(df: Dockerfile, plan: Plan) -> list[Problem]:
    """The runtime copies exactly the file cargo wrote for the plan's target."""
    final = df.final
    entry = _entry_words(final) if final else None
    if final is None or entry is None or not entry.args:
        return []
    placed = _final_copies(final)
    words = list(entry.args)
    program = words[2] if words[:2] == ["/tini", "--"] and len(words) > 2 else words[0]
    if program not in placed:
        return []  # check_entrypoint reports it
    cmd, source = placed[program]
    line = cmd.line
    origin = df.stage(cmd.flag("from") or "")
    if origin is None:
        return [Problem("binary-path", line, f"{program} is not copied from a build stage")]
    found = _cargo_build(list(df.lineage(origin)))
    if found is None:
        return [Problem("binary-path", line, f"stage {origin.name or origin.index} never runs cargo build")]
    stage, run, build = found
    problems = []
    chosen = _option(build, "--bin")
    if chosen is not None and chosen != plan.binary:
        problems.append(Problem("binary-path", run.line, f"cargo builds --bin {chosen}, but the plan ships {plan.binary}"))
    target = _option(build, "--target")
    problems += _target_problems(list(df.lineage(origin)), target, plan, run.line)
    release = f"target/{target}/release" if target else "target/release"
    built = posixpath.normpath(posixpath.join(_workdir(stage), release, plan.binary))
    source = posixpath.normpath(posixpath.join(_workdir(origin), source))
    if source != built and not _moved_to(stage, run, built, source):
        shown = _CAT_WORD.sub(r"$(cat \1)", built)
        problems.append(Problem("binary-path", line, f"copies {source}, but cargo writes {shown}"))
    return problems


def check_user(final: Stage, plan: Plan) -> list[Problem]:
    user = _last(final, "USER")
    last = user.args[0] if user is not None and user.args else ""
    if plan.user == "nonroot":
        if not last:
            return [Problem("user", final.line, "no USER in the final stage: the program runs as root")]
        if not re.fullmatch(r"\d+(:\d+)?", last):
            return [Problem("user", user.line, f"USER {last} is not numeric (Kubernetes runAsNonRoot needs a number)")]
        if int(last.split(":")[0]) != plan.uid:
            return [Problem("user", user.line, f"USER {last}, but the plan says uid {plan.uid}")]
    elif last and last.split(":")[0] not in {"0", "root"}:
        return [Problem("user", user.line, f"USER {last}, but the plan runs as root")]
    return []


def _installs(stage: Stage, package: str) -> bool:
    for cmd in stage.instructions:
        if cmd.name != "RUN":
            continue
        for words in shell_words(" ".join(cmd.args)):
            if words[:2] in (["apt-get", "install"], ["apk", "add"]) and package in words:
                return True
    return False


def check_healthcheck(final: Stage, plan: Plan) -> list[Problem]:
    """A HEALTHCHECK only runs programs the runtime image has."""
    cmd = _last(final, "HEALTHCHECK")
    if cmd is None or cmd.args[:1] == ("NONE",):
        if plan.healthcheck != "none":
            return [Problem("healthcheck", final.line, f"healthcheck={plan.healthcheck}, but there is no HEALTHCHECK")]
        return []
    line = cmd.line
    if not cmd.json:
        if plan.runtime not in {"alpine", "debian-slim"}:
            return [Problem("healthcheck", line, f"shell-form HEALTHCHECK needs /bin/sh, which {plan.runtime} lacks")]
        words = shlex.split(" ".join(cmd.args[1:]))
    else:
        words = list(cmd.args[1:])
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
    for cmd in df.instructions:
        if cmd.name not in {"COPY", "ADD"} or cmd.flag("from") is not None:
            continue
        for source in cmd.args[:-1]:
            if "://" in source:
                continue
            relative = posixpath.normpath(source.lstrip("/"))
            if relative.startswith(".."):
                problems.append(Problem("copy-source", cmd.line, f"{source} is outside the build context"))
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
                    problems.append(Problem("copy-source", cmd.line, f"{source} is excluded by .dockerignore"))
                continue
            problems.append(Problem("copy-source", cmd.line, f"{source} does not exist in the project"))
    return problems


def check_expose(final: Stage, plan: Plan) -> list[Problem]:
    """EXPOSE documents exactly the plan's ports ("/tcp" is the default protocol)."""
    exposed = {
        word.removesuffix("/tcp")
        for cmd in final.instructions
        if cmd.name == "EXPOSE"
        for word in cmd.args
    }
    wanted = set(plan.ports)
    if exposed != wanted:
        shown = ", ".join(sorted(exposed)) or "nothing"
        return [Problem("expose", final.line,
                        f"EXPOSE {shown}, but the plan's ports are {', '.join(plan.ports) or 'none'}")]
    return []


def check_remote_add(df: Dockerfile) -> list[Problem]:
    """A download in ADD is pinned by --checksum, or a changed file goes unnoticed."""
    return [
        Problem("remote-add", cmd.line, f"ADD {source} has no --checksum=sha256:...")
        for cmd in df.instructions
        if cmd.name == "ADD" and cmd.flag("checksum") is None
        for source in cmd.args[:-1]
        if "://" in source
    ]


def check_emulated_run(final: Stage, plan: Plan) -> list[Problem]:
    """A multi-arch runtime stage runs nothing: for the other architecture a RUN there
    executes under QEMU, which the product promises never to need."""
    if plan.platforms == "amd64":
        return []
    return [
        Problem("emulated-run", cmd.line, f"RUN in the {plan.platforms} runtime stage runs under QEMU")
        for cmd in final.instructions
        if cmd.name == "RUN"
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
