"""Dockerfile-only checks of the build: binaries copied from where cargo never wrote
them, caching steps that cannot help, builds without --locked, a .dockerignore that
drops what the build reads, variables that are empty where they are used, and secrets
passed as build arguments."""

from __future__ import annotations

import fnmatch
import posixpath
import re

from .check_base import Located, at
from .dockerfile.facts import DockerfileFacts
from .dockerfile.facts_build import Build, absolute, is_opaque, run_commands, workdir_of
from .dockerfile.parse import PLATFORM_ARGS, Instruction, Stage, env_pairs
from .dockerfile.shell import file_moves
from .lint_dockerignore import dropping_line
from .rules_base import error, warning
from .rules_project import is_secret_env

#: Where `cargo install` puts binaries in the images people build on.
CARGO_BIN_DIRS = ("/usr/local/cargo/bin/", "/root/.cargo/bin/", "/opt/cargo/bin/")
#: What the toolchain itself keeps in the cargo bin folder.
TOOLCHAIN_BINS = frozenset({"cargo", "rustc", "rustup", "rustdoc", "rustfmt", "cargo-clippy", "clippy-driver"})


def _is_cargo_output(path: str) -> bool:
    return "/target/" in path or path.startswith(CARGO_BIN_DIRS)


def _opaque(facts: DockerfileFacts, stage: Stage) -> bool:
    return any(is_opaque(c) for s in facts.df.lineage(stage) for i in s.instructions for c in run_commands(i))


def _moved_or_copied(facts: DockerfileFacts, stage: Stage, path: str) -> bool:
    """A cp/mv in a RUN (outside its cache mounts) or a COPY puts a file at `path`."""
    for ancestor in facts.df.lineage(stage):
        for instruction in ancestor.instructions:
            if instruction.name in {"COPY", "ADD"} and instruction.args:
                if _copy_lands(instruction, workdir_of(facts.df, instruction), path):
                    return True
            mounts = [absolute(m.get("target", ""), workdir_of(facts.df, instruction))
                      for m in instruction.mounts() if m.get("type") == "cache"]
            for command in run_commands(instruction):
                move = file_moves(command, workdir_of(facts.df, instruction))
                if move is None:
                    continue
                dest = absolute(move.dest, move.cwd)
                if any(dest == m or dest.startswith(m + "/") for m in mounts):
                    continue
                lands = {dest} | {posixpath.join(dest, posixpath.basename(s)) for s in move.sources}
                if any(fnmatch.fnmatchcase(path, land) for land in lands):
                    return True
    return False


def _copy_lands(instruction: Instruction, workdir: str, path: str) -> bool:
    """A COPY puts a file at `path`: its destination, or inside a folder it copies (but
    never a target/ folder from the context, which .dockerignore keeps out)."""
    *sources, dest = instruction.args
    dest = absolute(dest, workdir)
    for source in sources:
        if path in {dest, posixpath.join(dest, posixpath.basename(source.rstrip("/")))}:
            return True
        folder = source.endswith("/") or source.rstrip("/") in {".", ""}
        inside = posixpath.relpath(path, dest) if path.startswith(dest.rstrip("/") + "/") else ""
        if folder and inside and not inside.startswith("target/"):
            return True
    return False


def copy_never_built(facts: DockerfileFacts) -> list[Located]:
    """`COPY --from=builder X` where cargo never leaves X in the builder's layers."""
    found = []
    for instruction in facts.df.instructions:
        ref = instruction.flag("from") if instruction.name in {"COPY", "ADD"} else None
        stage = facts.df.stage(ref)
        if stage is None or _opaque(facts, stage):
            continue
        for raw in instruction.args[:-1]:
            source = absolute(raw, "/")
            if "${" in source or not _is_cargo_output(source) or posixpath.basename(source) in TOOLCHAIN_BINS:
                continue
            if _moved_or_copied(facts, stage, source):
                continue
            found += _judge_copy(facts, instruction, stage, source)
    return found


def _judge_copy(facts: DockerfileFacts, instruction: Instruction, stage: Stage, source: str) -> list[Located]:
    builds = [b for b in facts.build.in_lineage(stage) if b.out_dir or b.call.builds]
    writers = [b for b in builds if b.writes(source)]
    if any(b.outputs_persist and not b.dummy for b in writers):
        return []
    if not builds or any(not b.out_dir for b in builds):
        return []  # no build, or one whose output folder is unknown: nothing to compare
    real = [b for b in builds if not b.dummy]
    mounted = [b for b in writers if not b.dummy and not b.outputs_persist]
    stub = [b for b in writers if b.dummy and b.outputs_persist]
    if mounted and stub:
        return at(facts, instruction.line, error(
            "caching",
            f"{source} is the stub binary of the dependency build at line {stub[-1].line}: the real "
            f"build at line {mounted[-1].line} writes it inside a cache mount, which is not part of "
            "the image, so the image ships a program that does nothing.",
            f"copy the binary out of the mount in the same RUN (cp {source} /app/) and COPY that.",
        ))
    if mounted:
        return at(facts, instruction.line, error(
            "caching",
            f"the build at line {mounted[-1].line} writes {source} inside a cache mount, which is "
            "not part of the image: this COPY fails with \"not found\".",
            "copy the binary out of the mount in the same RUN and COPY that copy.",
        ))
    closest = max(real or builds, key=lambda b: len(posixpath.commonpath([b.out_dir.replace("*", "x"), source])))
    return at(facts, instruction.line, error(
        "binary",
        f"the build never writes {source}: {_why_elsewhere(facts, closest, source)}.",
        f"copy {_expected(closest, source)}.",
    ))


def _expected(build: Build, source: str) -> str:
    name = posixpath.basename(source)
    if build.names and name not in build.names:
        name = sorted(build.names)[0]
    return posixpath.join(build.out_dir, name)


def _why_elsewhere(facts: DockerfileFacts, build: Build, source: str) -> str:
    expected = _expected(build, source)
    where = f"cargo {build.call.sub} at line {build.line}"
    if build.call.sub == "install":
        return f"{where} installs into {posixpath.dirname(expected)}/"
    if source.startswith(CARGO_BIN_DIRS):
        return f"{where} leaves the binary in {build.out_dir}/ (only cargo install fills {posixpath.dirname(source)}/)"
    have, want = source.split("/target/", 1), expected.split("/target/", 1)
    if len(have) == 2 and have[0] != want[0]:
        return f"{where} runs in {want[0]} (WORKDIR), so its output is under {want[0]}/target/, not {have[0]}/target/"
    if posixpath.dirname(source) != posixpath.dirname(expected) and not fnmatch.fnmatchcase(posixpath.dirname(source), build.out_dir):
        target = f"--target {build.triple}" if build.explicit_target else "no --target"
        return f"{where} builds with {target} and profile {build.profile}, into {build.out_dir}/"
    names = ", ".join(sorted(build.names or ()))
    return f"{where} builds the binary {names or posixpath.basename(expected)}, not {posixpath.basename(source)}"


def cache_other_target(facts: DockerfileFacts) -> list[Located]:
    """A dependency-caching build whose output the real build cannot reuse."""
    main = facts.main_build
    if main is None:
        return []
    found = []
    builds = facts.build.in_lineage(main.stage)
    for dummy in builds:
        if not dummy.dummy or (dummy.stage.index == main.stage.index and dummy.line > main.line):
            continue
        # Several real builds (a server and its WASM frontend): any one it serves will do.
        later = [b for b in builds if not b.dummy and b.call.builds and b.line > dummy.line]
        # One RUN that cooks for several builds (the server's dependencies, and a WASM
        # frontend's that wasm-pack builds from a script) helps when any of its cooks does.
        step = [b for b in builds if b.dummy and b.line == dummy.line]
        if any(not _mismatch(cook, other) for cook in step for other in later):
            continue
        reasons = _mismatch(dummy, main)
        if reasons:
            found += at(facts, dummy.line, warning(
                "caching",
                f"this dependency build {'; '.join(reasons)}, so the build at line {main.line} "
                "compiles every dependency again: the caching step never helps.",
                "build the dependencies with the same --target, profile and target directory as "
                "the final build.",
            ))
    return found


def _mismatch(dummy: Build, main: Build) -> list[str]:
    reasons = [] if dummy.call.sub == "chef-cook" or _manifest_copied(dummy) else [
        "compiles the empty package `cargo new` made, not yours: your Cargo.toml is not "
        "copied before it, so none of your dependencies are built"]
    if "*" not in dummy.triple + main.triple and (dummy.triple, dummy.explicit_target) != (main.triple, main.explicit_target):
        theirs = f"--target {dummy.triple}" if dummy.explicit_target else f"no --target ({dummy.triple or 'the host'})"
        ours = f"--target {main.triple}" if main.explicit_target else f"no --target ({main.triple or 'the host'})"
        reasons.append(f"builds with {theirs} where the final build uses {ours}")
    if dummy.profile != main.profile:
        reasons.append(f"uses profile {dummy.profile} where the final build uses {main.profile}")
    if dummy.target_dir and main.target_dir and dummy.target_dir != main.target_dir:
        reasons.append(f"writes to {dummy.target_dir} where the final build uses {main.target_dir}")
    elif main.in_mount(main.target_dir) and not dummy.in_mount(dummy.target_dir):
        reasons.append(f"leaves its output in the layer, which the final build's cache mount on {main.target_dir} hides")
    elif dummy.in_mount(dummy.target_dir) and not main.in_mount(main.target_dir):
        reasons.append(f"writes into a cache mount on {dummy.target_dir} that the final build does not mount")
    return reasons


def _manifest_copied(build: Build) -> bool:
    """The root Cargo.toml reaches the build's folder before the build runs."""
    for instruction in build.stage.instructions:
        if instruction.line >= build.line:
            break
        if instruction.name in {"COPY", "ADD"} and instruction.flag("from") is None:
            sources = [s.strip().removeprefix("./").rstrip("/") or "." for s in instruction.args[:-1]]
            if any(s in {".", "Cargo.toml"} or s.startswith("Cargo.") and "*" in s for s in sources):
                return True
    # A stage built FROM another may have copied it there; do not guess.
    return build.stage.parent is not None


def build_not_locked(facts: DockerfileFacts) -> list[Located]:
    """cargo build or install without --locked in a project with Cargo.lock."""
    project = facts.project
    if project is None or not project.has_lockfile:
        return []
    found, seen = [], set()
    for build in facts.build.builds:
        call = build.call
        registry = call.sub == "install" and not call.install_path
        if call.locked or registry or build.line in seen:
            continue
        seen.add(build.line)
        what = (
            "cargo install ignores Cargo.lock unless --locked is given: it builds with the newest "
            "versions that day" if call.sub == "install"
            else f"cargo {call.sub.replace('-', ' ')} without --locked may update Cargo.lock in the image"
        )
        found += at(facts, build.line, warning(
            "caching",
            f"{what}, so the image is not built from the versions you tested.",
            "add --locked (and copy Cargo.lock before this step).",
        ))
    return found


def dockerignore_drops(facts: DockerfileFacts) -> list[Located]:
    """The .dockerignore leaves out a file the build copies or reads."""
    ignore, project = facts.ignore, facts.project
    if ignore is None or project is None:
        return []
    needed: dict[str, Instruction] = {}
    for instruction in facts.df.instructions:
        if instruction.name not in {"COPY", "ADD"} or instruction.flag("from") is not None:
            continue
        for source in instruction.args[:-1]:
            relative = source.strip().lstrip("/").removeprefix("./").rstrip("/") or "."
            if relative == ".":
                for path in _build_reads(facts):
                    needed.setdefault(path, instruction)
            elif "*" not in relative and "$" not in relative:
                needed.setdefault(relative, instruction)
    locked = any(b.call.locked for b in facts.build.builds)
    found = []
    for path, instruction in needed.items():
        line = dropping_line(path, ignore.text)
        if not line:
            continue
        make = warning if path == "Cargo.lock" and not locked else error
        effect = (
            "cargo build --locked fails without it" if path == "Cargo.lock" and locked
            else "the build resolves dependencies afresh" if path == "Cargo.lock"
            else f"the COPY at line {instruction.line} fails or the build misses it"
        )
        found += at(facts, line, make(
            "extra_files",
            f"this line leaves {path} out of the build context: {effect}.",
            f"add `!{path}` after it, or remove the line.",
        ), path=ignore.path)
    return found


def _build_reads(facts: DockerfileFacts) -> list[str]:
    """What a build from a whole-context COPY reads, that exists in the project."""
    project = facts.project
    root = project.root
    paths = ["Cargo.toml", "Cargo.lock", ".cargo/config.toml"]
    for member in project.members:
        base = "" if member.dir == "." else member.dir + "/"
        paths += [f"{base}Cargo.toml", f"{base}src"] + ([f"{base}build.rs"] if member.has_build_rs else [])
    # Folders the build reads (compiled in, or sqlx's offline data); run-time folders are
    # checked where a COPY names them, and a folder nobody reads is no loss.
    paths += [d for d in project.build_dirs if not d.startswith("..")]
    return [p for p in dict.fromkeys(paths) if (root / p).exists()]


_USED_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+])?")
#: Variables every shell has.
_SHELL_VARS = frozenset({"HOME", "PATH", "PWD", "OLDPWD", "USER", "SHELL", "HOSTNAME", "IFS",
                         "UID", "EUID", "RANDOM", "LINENO", "TERM", "PPID", "OPTARG", "OPTIND"})


def _shell_assigned(script: str) -> set[str]:
    assigned = set(re.findall(r"\b([A-Za-z_]\w*)=", script))
    assigned |= set(re.findall(r"\b(?:for|read(?:\s+-\w+)*)\s+(\w+)", script))
    return assigned


def _run_unset(facts: DockerfileFacts, instruction: Instruction) -> tuple[set[str], set[str]]:
    """(global ARGs a RUN uses without declaring them, names nothing defines at all)."""
    script = instruction.script
    if re.search(r"(^|[;&|]\s*)(source|\.)\s+\S", script):
        return set(), set()  # a sourced file may define anything
    unquoted = re.sub(r"'[^']*'", "", script)  # awk '{print $NF}' is awk's, not the shell's
    used = {name for name, op in _USED_VAR.findall(unquoted) if not op}
    used -= set(instruction.vars) | _shell_assigned(script) | _SHELL_VARS
    globals_ = used & (facts.df.global_args | PLATFORM_ARGS)
    env = facts.image_of(facts.df.stages[instruction.stage]).env
    nowhere = used - globals_ if env is not None else set()
    return globals_, nowhere - env if env is not None else set()


def unset_variable(facts: DockerfileFacts) -> list[Located]:
    """A variable used where nothing defines it: it expands to nothing."""
    found = []
    for instruction in facts.df.instructions:
        if instruction.stage < 0 or instruction.name == "FROM":
            continue
        stage = facts.df.stages[instruction.stage]
        known_env = facts.image_of(stage).env
        if instruction.name == "RUN":
            globally, nowhere = _run_unset(facts, instruction)
        else:
            globally = {n for n in instruction.undefined if n in facts.df.global_args}
            nowhere = {n for n in instruction.undefined - globally
                       if known_env is not None and n not in known_env}
        for name in sorted(globally | nowhere):
            found += _unset(facts, instruction, name, name in globally)
    return found


def _unset(facts: DockerfileFacts, instruction: Instruction, name: str, globally: bool) -> list[Located]:
    why = (f"{name} is declared before the first FROM, and a stage sees it only after its own "
           f"`ARG {name}`" if globally else
           f"no ARG or ENV of this stage (nor its base image) defines {name}; a variable set "
           "inside a RUN ends with that RUN")
    return at(facts, instruction.line, error(
        "platforms" if name in PLATFORM_ARGS else "binary",
        f"{instruction.name} uses ${{{name}}}, which is empty here: {why}.",
        f"add `ARG {name}` to this stage" if globally else "define it with ARG or ENV in this stage",
    ))


_SECRET_FILE = re.compile(r"\$\(cat\s+/run/secrets/[^)]*\)[^|;&]*>>?\s*\S+|/run/secrets/\S+[^|;&]*\b(cp|tee)\b")


def secret_persisted(facts: DockerfileFacts) -> list[Located]:
    """A RUN that writes a secret mount's content into a file of the layer."""
    found = []
    for instruction in facts.df.instructions:
        secret = any(m.get("type") == "secret" for m in instruction.mounts())
        if secret and _SECRET_FILE.search(instruction.script):
            found += at(facts, instruction.line, error(
                "private_registry",
                "this RUN writes the secret into a file, so it stays in the layer and the build "
                "cache: the secret mount protects nothing.",
                "pass it as an environment variable for one command instead "
                "(CARGO_REGISTRIES_<NAME>_TOKEN=$(cat /run/secrets/...) cargo build ...).",
            ))
    return found


def secret_build_args(facts: DockerfileFacts) -> list[Located]:
    """ARG (and ENV outside the final image) holding a credential."""
    final = {s.index for s in facts.df.lineage(facts.final)}
    found = []
    for instruction in facts.df.instructions:
        if instruction.name == "ARG":
            pairs = [(item.partition("=")[0], item.partition("=")[2]) for item in instruction.args]
            where = "a build argument, which stays in the image's history and build records"
        elif instruction.name == "ENV" and instruction.stage not in final:
            pairs = env_pairs(instruction)
            where = "an ENV of a build stage, kept in its layers and the build cache"
        else:
            continue
        secret = [key for key, value in pairs if is_secret_env(key, value)]
        if secret:
            found += at(facts, instruction.line, warning(
                "private_registry",
                f"{', '.join(secret)} looks like a secret passed as {where}.",
                "use a BuildKit secret mount (RUN --mount=type=secret,id=...) instead.",
            ))
    return found
