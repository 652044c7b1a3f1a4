"""The final image of a Dockerfile: its files, users, program, ports, environment and
healthcheck, as far as they can be read without building it."""

from __future__ import annotations

import posixpath
import shlex
from dataclasses import dataclass
from functools import cached_property

from .facts_build import absolute, is_opaque, run_commands, stage_image, workdir_of
from .images import Image
from .parse import Dockerfile, Instruction, Stage, env_pairs
from .shell import created_users, file_moves, installed_packages

#: Programs that start the real program as their child and forward signals.
INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit"})
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: Files distroless and Chainguard images carry (the rest of their tree is known empty).
_KNOWN_FILES = ("/etc/passwd", "/etc/group", "/etc/ssl/certs", "/usr/share/zoneinfo", "/tmp",
                "/etc/nsswitch.conf", "/etc/os-release", "/busybox")
YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class Placed:
    """A file (or directory) the final image gets from a COPY or a cp/mv in a RUN."""

    path: str
    instruction: Instruction
    #: The source as written ("" for a RUN).
    source: str
    #: The stage it comes from (COPY --from=stage), None for the context or an image.
    stage: Stage | None
    #: A whole directory was copied: what is inside is not known.
    is_dir: bool = False


@dataclass(frozen=True)
class Program:
    """What the container runs: the program, its arguments, and the instructions."""

    path: str
    args: tuple[str, ...]
    #: "tini", "dumb-init"... when an init starts it, else "".
    init: str
    #: ENTRYPOINT or CMD that names the program.
    instruction: Instruction
    #: Shell form: /bin/sh -c runs it.
    shell_form: bool
    entrypoint: Instruction | None
    cmd: Instruction | None


class RuntimeFacts:
    """What the final stage holds and runs."""

    def __init__(self, df: Dockerfile) -> None:
        self.df = df
        self.final: Stage = df.final
        self.image: Image = stage_image(df, self.final)
        self.lineage = tuple(reversed(df.lineage(self.final)))

    @cached_property
    def instructions(self) -> tuple[Instruction, ...]:
        """The final stage's instructions with its ancestors' first."""
        return tuple(i for stage in self.lineage for i in stage.instructions)

    def last(self, name: str) -> Instruction | None:
        found = [i for i in self.instructions if i.name == name]
        return found[-1] if found else None

    @cached_property
    def placed(self) -> dict[str, Placed]:
        placed: dict[str, Placed] = {}
        for instruction in self.instructions:
            if instruction.name in {"COPY", "ADD"} and len(instruction.args) >= 2:
                for item in self._copy_targets(instruction):
                    placed[item.path] = item
            for command in run_commands(instruction):
                move = file_moves(command, workdir_of(self.df, instruction))
                if move is None:
                    continue
                dest = absolute(move.dest, move.cwd)
                for source in move.sources:
                    for path in {dest, posixpath.join(dest, posixpath.basename(source))}:
                        placed.setdefault(path, Placed(path, instruction, "", None))
        return placed

    def _copy_targets(self, instruction: Instruction) -> list[Placed]:
        *sources, dest = instruction.args
        ref = instruction.flag("from")
        stage = self.df.stage(ref) if ref is not None else None
        base = workdir_of(self.df, instruction)
        out = []
        for source in sources:
            is_dir = source.endswith("/") or source in {".", "./"} or _looks_like_dir(source)
            name = posixpath.basename(source.rstrip("/"))
            into = dest.endswith("/") or dest in {".", "./"} or len(sources) > 1
            targets = [posixpath.join(dest, "" if is_dir else name)] if into else [dest]
            if not into and not is_dir:
                # `COPY app /usr/local/bin` lands in the folder when it exists: both count.
                targets.append(posixpath.join(dest, name))
            out += [Placed(absolute(t, base), instruction, source, stage, is_dir) for t in targets]
        return out

    @cached_property
    def opaque(self) -> bool:
        """A RUN in the final image does something whose files are not followed."""
        return any(is_opaque(c) for i in self.instructions for c in run_commands(i))

    @cached_property
    def packages(self) -> frozenset[str]:
        return frozenset(p for i in self.instructions for c in run_commands(i) for p in installed_packages(c))

    def exists(self, path: str) -> str:
        """YES, NO or UNKNOWN: is there a file at `path` in the final image?"""
        path = posixpath.normpath(path)
        if path in self.placed:
            return YES
        if any(p.is_dir and path.startswith(p.path.rstrip("/") + "/") for p in self.placed.values()):
            return UNKNOWN
        if self.opaque:
            return UNKNOWN
        if self.image.known_contents:
            known = any(path == k or path.startswith(k + "/") for k in _KNOWN_FILES)
            return UNKNOWN if known and self.image.family != "scratch" else NO
        return UNKNOWN

    def mentioned_in_run(self, text: str) -> bool:
        return any(text in i.script for i in self.instructions if i.name == "RUN")

    # -- the program ------------------------------------------------------------------

    @cached_property
    def program(self) -> Program | None:
        entry, cmd = self.last("ENTRYPOINT"), self.last("CMD")
        words: list[str] = []
        shell = False
        source = entry or cmd
        if source is None:
            return None
        for part in (entry, cmd):
            if part is None:
                continue
            if not part.json:
                shell = shell or part is source
                words += _shell_words(" ".join(part.args))
                if part is entry:
                    break  # a shell-form ENTRYPOINT ignores CMD
            else:
                words += list(part.args)
        init = ""
        if words and posixpath.basename(words[0]) in INITS:
            init = posixpath.basename(words[0]).removesuffix("-static")
            words = words[1:]
            while words and words[0].startswith("-"):
                words = words[1:]
        if words[:1] == ["exec"]:
            words = words[1:]
        if not words:
            return None
        return Program(words[0], tuple(words[1:]), init, source, shell, entry, cmd)

    def resolve(self, program: str) -> tuple[str, str]:
        """(path, YES/NO/UNKNOWN): where a program name is found in the final image."""
        if "/" in program:
            return absolute(program, self.workdir), self.exists(absolute(program, self.workdir))
        answers = []
        for folder in self.path_dirs:
            path = posixpath.join(folder, program)
            found = self.exists(path)
            if found == YES:
                return path, YES
            answers.append(found)
        return program, UNKNOWN if UNKNOWN in answers else NO

    @property
    def path_dirs(self) -> list[str]:
        value = self.env.get("PATH", DEFAULT_PATH)
        return [p for p in value.replace("${PATH}", DEFAULT_PATH).split(":") if p.startswith("/")]

    @property
    def workdir(self) -> str:
        instruction = self.instructions[-1] if self.instructions else None
        if instruction is None:
            return self.image.workdir or "/"
        return workdir_of(self.df, instruction)

    # -- settings ---------------------------------------------------------------------

    @cached_property
    def env_lines(self) -> dict[str, tuple[str, Instruction]]:
        """Final ENV values, each with the instruction that set it last."""
        found: dict[str, tuple[str, Instruction]] = {}
        for instruction in self.instructions:
            if instruction.name == "ENV":
                for key, value in env_pairs(instruction):
                    found[key] = (value, instruction)
        return found

    @property
    def env(self) -> dict[str, str]:
        return {key: value for key, (value, _) in self.env_lines.items()}

    @cached_property
    def exposed(self) -> list[tuple[str, Instruction]]:
        return [(word, i) for i in self.instructions if i.name == "EXPOSE" for word in i.args if word]

    @cached_property
    def users(self) -> dict[str, int | None]:
        """Users created in the final image, or in a stage whose /etc/passwd it copies."""
        found: dict[str, int | None] = {}
        stages = list(self.lineage)
        for placed in self.placed.values():
            if placed.stage is not None and placed.source.rstrip("/") in {"/etc/passwd", "/etc", "/etc/"}:
                stages.extend(self.df.lineage(placed.stage))
            elif placed.stage is not None and placed.path in {"/etc/passwd"}:
                stages.extend(self.df.lineage(placed.stage))
        for stage in stages:
            for instruction in stage.instructions:
                for command in run_commands(instruction):
                    found.update((u.name, u.uid) for u in created_users(command))
        return found

    def has_tool(self, tool: str) -> str:
        """YES/NO/UNKNOWN: can a HEALTHCHECK run `tool` here?"""
        if tool in self.image.tools or tool in self.packages:
            return YES
        if any(posixpath.basename(p) == tool for p in self.placed):
            return YES
        if self.image.family in {"", "busybox", "musl-cross"} or self.opaque:
            return UNKNOWN
        return NO


#: Folder names that are never a program: a COPY of one copies a tree.
_DIR_NAMES = frozenset(
    "bin etc lib share certs zoneinfo rootfs static templates assets public config migrations "
    "site dist www locales data".split()
)


def _looks_like_dir(source: str) -> bool:
    return posixpath.basename(source.rstrip("/")) in _DIR_NAMES


def _shell_words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()
