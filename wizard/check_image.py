"""Dockerfile-only checks of the image that runs: the program is there, signals reach it,
its USER exists, its HEALTHCHECK can run, base images are pinned, and builder and
runtime share a C library release."""

from __future__ import annotations

import posixpath
import shlex

from .check_base import Located, at
from .dockerfile.facts import DockerfileFacts
from .dockerfile.facts_runtime import NO, UNKNOWN, YES
from .dockerfile.images import GLIBC, Image
from .rules_base import OPENSSL_CRATES, error, tip, warning
from .rules_runtime import HEALTH_TOOL_RUNTIME
from .versions import ALPINE, RUST_DEFAULT, builder_image


def program_missing(facts: DockerfileFacts) -> list[Located]:
    """ENTRYPOINT or CMD runs a path the final image does not have."""
    runtime = facts.runtime
    program = runtime.program
    if program is None:
        if runtime.image.known_contents:
            return at(facts, facts.final.line, error(
                "binary",
                f"the final image ({runtime.image.ref}) has no ENTRYPOINT or CMD, so the "
                "container has nothing to run.",
                "add ENTRYPOINT [\"/path/to/your-binary\"].",
            ))
        return []
    found = []
    if program.init:
        init_word = (program.entrypoint or program.instruction).args[0]
        path, state = runtime.resolve(init_word)
        if state == NO:
            found += at(facts, program.instruction.line, error(
                "init", f"{init_word} is started but never copied into the final image.",
                f"copy {program.init} in (COPY --from=... {path}), or drop it.",
            ))
    path, state = runtime.resolve(program.path)
    if state == YES or program.path in {"sh", "/bin/sh", "bash", "/bin/bash"}:
        return found
    name = posixpath.basename(program.path)
    placed = [p for p in runtime.placed.values() if posixpath.basename(p.path) == name]
    is_binary = name in facts.binary_names or bool(placed)
    copied_folder = any(p.is_dir and path.startswith(p.path.rstrip("/") + "/") for p in runtime.placed.values())
    # Unknown because of the base image only: the project's own binary is not in there.
    evidence = is_binary and not copied_folder and not runtime.opaque and not runtime.mentioned_in_run(path)
    if state == UNKNOWN and not evidence:
        return found
    kind = program.instruction.name
    where = f": the binary is at {placed[-1].path} (line {placed[-1].instruction.line})" if placed else ""
    fix = f"run {placed[-1].path}" if placed else f"copy the binary to {path}"
    return found + at(facts, program.instruction.line, error(
        "binary",
        f"{kind} runs {program.path}, which is not in the final image{where}.",
        f"{fix} (or copy the binary to where {kind} looks).",
    ))


def shell_form(facts: DockerfileFacts) -> list[Located]:
    """A program started through /bin/sh -c: SIGTERM stops at the shell."""
    runtime = facts.runtime
    program = runtime.program
    found = []
    if program is None:
        return found
    if program.entrypoint is not None and program.entrypoint.json and program.cmd is not None and not program.cmd.json:
        if program.init:  # tini starts /bin/sh -c "...", which runs the program
            found += at(facts, program.cmd.line, tip(
                "init",
                f"CMD is in shell form, so {program.init} starts /bin/sh -c \"{' '.join(program.cmd.args)}\" "
                "and signals reach the shell before the program.",
                f"write CMD as a JSON array: CMD [\"{program.path}\"].",
            ))
        else:
            found += at(facts, program.cmd.line, warning(
                "args",
                "CMD is in shell form after an exec-form ENTRYPOINT, so the program gets "
                "`/bin/sh -c \"...\"` as its arguments.",
                "write CMD as a JSON array: CMD [\"--flag\", \"value\"].",
            ))
    if not program.shell_form:
        return found
    kind = program.instruction.name
    has_shell = runtime.image.shell or runtime.exists("/bin/sh") == YES
    if has_shell is False:
        return found + at(facts, program.instruction.line, error(
            "runtime",
            f"{kind} is in shell form, which runs /bin/sh -c, and {runtime.image.ref} has no "
            "shell: the container does not start.",
            f"write {kind} as a JSON array: {kind} [\"{program.path}\"].",
        ))
    return found + at(facts, program.instruction.line, warning(
        "init",
        f"{kind} is in shell form: /bin/sh runs as PID 1 and does not pass SIGTERM on, so "
        "`docker stop` waits 10 s and kills the program.",
        f"write {kind} as a JSON array: {kind} [\"{program.path}\"{''.join(', ' + shlex.quote(a) for a in program.args[:2])}].",
    ))


def user_missing(facts: DockerfileFacts) -> list[Located]:
    """USER names an account the final image does not have."""
    runtime = facts.runtime
    user = runtime.last("USER")
    if user is None or not user.args:
        return []
    name = user.args[0].split(":")[0]
    if name.isdigit() or name in {"root", ""} or "$" in name or name in runtime.users:
        return []
    known = runtime.image.users
    if known is None or name in known or runtime.opaque:
        return []
    made = [s.ref for s in facts.df.stages if s.index != facts.final.index
            and name in _users_of(facts, s.index)]
    elsewhere = f" (it is created in stage {made[0]}, whose /etc/passwd the final image does not copy)" if made else ""
    return at(facts, user.line, error(
        "uid",
        f"USER {name}: {runtime.image.ref} has no such user{elsewhere}, so the container fails "
        "with \"unable to find user\".",
        "create it in the final stage, or use a numeric USER such as 10001:10001.",
    ))


def _users_of(facts: DockerfileFacts, index: int) -> set[str]:
    from .dockerfile.facts_build import run_commands
    from .dockerfile.shell import created_users

    return {u.name for i in facts.df.stages[index].instructions for c in run_commands(i) for u in created_users(c)}


def healthcheck_tool_absent(facts: DockerfileFacts) -> list[Located]:
    """HEALTHCHECK runs a program (or a shell) the final image lacks."""
    runtime = facts.runtime
    check = runtime.last("HEALTHCHECK")
    if check is None or check.args[:1] == ("NONE",) or len(check.args) < 2:
        return []
    if not check.json and runtime.image.shell is False and runtime.exists("/bin/sh") != YES:
        return at(facts, check.line, error(
            "healthcheck",
            f"HEALTHCHECK is in shell form, which needs /bin/sh, and {runtime.image.ref} has none: "
            "the check always fails and the container is marked unhealthy.",
            "write it as a JSON array: HEALTHCHECK CMD [\"/app/probe\", ...].",
        ))
    words = list(check.args[1:]) if check.json else _split(" ".join(check.args[1:]))
    if words[:2] in (["/bin/sh", "-c"], ["sh", "-c"]) and len(words) > 2:
        words = _split(words[2])
    if not words:
        return []
    tool = posixpath.basename(words[0])
    if tool in HEALTH_TOOL_RUNTIME:
        if HEALTH_TOOL_RUNTIME[tool] != runtime.image.runtime or runtime.has_tool(tool) != NO:
            return []  # the plan rule healthcheck-tool-missing speaks where the family lacks it
        state = NO
    else:
        _, state = runtime.resolve(words[0])
    if state != NO:
        return []
    return at(facts, check.line, error(
        "healthcheck",
        f"HEALTHCHECK runs {words[0]}, which the final image does not have: every check "
        "fails and the container is marked unhealthy.",
        f"install {tool} in the final stage, or check with the program itself or a static probe.",
    ))


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def unpinned_image(facts: DockerfileFacts) -> list[Located]:
    """FROM an image by a tag that moves (latest, none, `1`, `slim`)."""
    found = []
    for stage in facts.df.stages:
        if stage.parent is not None or "${" in stage.base:
            continue
        image = facts.image_of(stage)
        if image.pinned or image.family == "chainguard":  # chainguard-unpinned speaks there
            continue
        runtime = stage.index == facts.final.index
        found += at(facts, stage.line, warning(
            "runtime" if runtime else "rust_version",
            f"{stage.base} is not pinned: it moves to a new release without notice, and the "
            "next build may break or run differently.",
            f"pin a version, e.g. {_suggest(image, facts)}.",
        ))
    return found


def _suggest(image: Image, facts: DockerfileFacts) -> str:
    rust = facts.project.rust_version if facts.project and facts.project.rust_version[:2] == "1." else RUST_DEFAULT
    if image.family == "rust" and image.builder:
        return builder_image(image.builder, rust, "bookworm")
    if image.family == "muslrust":
        return builder_image("muslrust", rust, "bookworm")
    if image.family == "alpine":
        return f"alpine:{ALPINE}"
    if image.family == "debian":
        return "debian:bookworm-slim"
    return f"{image.repo}:<version> or {image.repo}@sha256:<digest>"


def release_mismatch(facts: DockerfileFacts) -> list[Located]:
    """A glibc binary built on one Debian (or Ubuntu) release and run on another."""
    build, builder = facts.main_build, facts.builder_image
    runtime = facts.runtime_image
    if build is None or builder is None or facts.single_stage or build.libc != "glibc":
        return []
    if not builder.glibc or not runtime.glibc or builder.release == runtime.release:
        return []
    built, runs = GLIBC[builder.release], GLIBC[runtime.release]
    said = " (its default)" if builder.release_inferred else ""
    what = f"{builder.ref} is {builder.release}{said} with glibc {built}; {runtime.ref} is {runtime.release} with glibc {runs}"
    openssl = bool(facts.project and facts.project.tls_crates & OPENSSL_CRATES)
    same = _same_release(builder.release, runtime)
    if tuple(map(int, runs.split("."))) < tuple(map(int, built.split("."))):
        return at(facts, facts.final.line, error(
            "debian",
            f"{what}: the binary asks for a newer glibc than the runtime has and fails with "
            f"\"GLIBC_{built} not found\".", f"{same}.",
        ))
    make = warning if openssl else tip
    extra = ": libssl differs between them too, so the binary does not find its libssl" if openssl else ""
    return at(facts, facts.final.line, make(
        "debian", f"{what}{extra}.", f"{same}, so the libraries match.",
    ))


#: The Debian releases the official rust images are built on (rust:<version>-<release>).
RUST_IMAGE_RELEASES = ("bullseye", "bookworm", "trixie")


def _same_release(built_on: str, runtime) -> str:
    """The fix for a release mismatch: a builder of the runtime's release where the official
    rust images have one; for Ubuntu (none) the runtime of the builder's release, or the
    newest builder release whose glibc the runtime has."""
    if runtime.release in RUST_IMAGE_RELEASES:
        return f"use the same release for both (e.g. rust:...-{runtime.release} with {runtime.ref})"
    version = lambda release: tuple(map(int, GLIBC[release].split(".")))  # noqa: E731
    older = [r for r in RUST_IMAGE_RELEASES if version(r) <= version(runtime.release)]
    fix = f"run it on the builder's release (e.g. debian:{built_on}-slim)"
    return fix + (f", or build on rust:...-{older[-1]}, whose glibc {runtime.ref} has" if older else "")
