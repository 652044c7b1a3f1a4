"""Read a Dockerfile with BuildKit's own parser (PyPI `dockerfile`) into stages.

Each instruction keeps its line and the state it runs in: its stage, the working
directory and the build variables (ARG and ENV) defined so far, so later steps can say
where a file lands without running anything. Dockerfile variables are expanded the way
BuildKit does in the instructions it expands itself (FROM, COPY, WORKDIR, ENV, USER...);
RUN lines stay as written, since the shell expands those.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

#: Every instruction BuildKit knows; anything else is rejected at build time.
INSTRUCTIONS = frozenset(
    "FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG "
    "ONBUILD STOPSIGNAL HEALTHCHECK SHELL".split()
)
#: Instructions BuildKit rejects without arguments (COPY and ADD need two).
NEEDS_ARGS = frozenset(
    "FROM RUN CMD LABEL EXPOSE ENV ENTRYPOINT USER WORKDIR ARG HEALTHCHECK SHELL".split()
)
#: Instructions whose arguments BuildKit expands ($VAR, ${VAR:-default}).
EXPANDED = frozenset("ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR ARG".split())
#: Build arguments BuildKit defines itself; a stage sees them only after `ARG NAME`.
PLATFORM_ARGS = frozenset(
    f"{side}{part}"
    for side in ("TARGET", "BUILD")
    for part in ("PLATFORM", "OS", "ARCH", "VARIANT")
)
#: Stands for a value known only at build time (a --build-arg, TARGETARCH...).
UNKNOWN = "\0"
#: $NAME, ${NAME} and ${NAME:-word} (the word may hold one level of ${...} itself).
_VAR = re.compile(r"\\\$|\$(?:\{(\w+)(?:(:?[-+])((?:[^{}]|\{[^{}]*\})*))?\}|(\w+))")
#: Bytes that never occur in a text Dockerfile.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a]")


class DockerfileError(ValueError):
    """A Dockerfile that cannot be read or that BuildKit rejects: one line saying why."""

    def __init__(self, message: str, line: int = 0, kind: str = "parse") -> None:
        super().__init__(message)
        #: The line at fault (0 for the whole file), and "parse", "instruction" or "read".
        self.line = line
        self.kind = kind


@dataclass(frozen=True)
class Instruction:
    """One instruction, as written and as it runs."""

    name: str
    line: int
    end_line: int
    #: Arguments after Dockerfile variable expansion (RUN, CMD... as written).
    args: tuple[str, ...]
    #: --flags, expanded the same way.
    flags: tuple[str, ...]
    #: Exec form (a JSON array).
    json: bool
    original: str
    #: Heredoc bodies (`RUN <<EOF`), in order.
    heredocs: tuple[str, ...] = ()
    #: The arguments as written, before expansion.
    raw: tuple[str, ...] = ()
    #: Index of the stage it belongs to, -1 before the first FROM.
    stage: int = -1
    #: The working directory it runs in: "" until a WORKDIR (the image's own), relative
    #: when only relative WORKDIRs were set.
    workdir: str = ""
    #: ARG and ENV values in effect (UNKNOWN for values known only at build time).
    vars: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)
    #: Variables it names that nothing defines (they expand to nothing).
    undefined: frozenset[str] = frozenset()

    def flag(self, name: str) -> str | None:
        prefix = f"--{name}="
        return next((f[len(prefix):] for f in self.flags if f.startswith(prefix)), None)

    def mounts(self) -> tuple[Mapping[str, str], ...]:
        """`RUN --mount=type=cache,target=/x` as {"type": "cache", "target": "/x"}."""
        found = []
        for raw in self.flags:
            if raw.startswith("--mount="):
                parts = dict(p.partition("=")[::2] for p in raw[len("--mount="):].split(","))
                parts.setdefault("type", "bind")
                if "dst" in parts or "destination" in parts:
                    parts.setdefault("target", parts.get("dst") or parts.get("destination", ""))
                found.append(MappingProxyType(parts))
        return tuple(found)

    @property
    def script(self) -> str:
        """What a RUN executes: its heredoc bodies, else its shell line."""
        if self.heredocs and self.args[:1] and self.args[0].startswith("<<"):
            return "\n".join(self.heredocs)
        return " ".join(self.args)


@dataclass(frozen=True)
class Stage:
    index: int
    #: The `AS name`, "" when unnamed.
    name: str
    #: The image or earlier stage it starts from, expanded.
    base: str
    line: int
    instructions: tuple[Instruction, ...] = field(repr=False)
    #: The earlier stage it is built FROM, None for an image.
    parent: int | None = None
    platform: str = ""
    #: Its WORKDIR after its last instruction ("" when it never sets one: the image's).
    workdir: str = ""

    @property
    def ref(self) -> str:
        """How the Dockerfile refers to it: its name, else its index."""
        return self.name or str(self.index)

    def all(self, name: str) -> tuple[Instruction, ...]:
        return tuple(i for i in self.instructions if i.name == name)

    def last(self, name: str) -> Instruction | None:
        found = self.all(name)
        return found[-1] if found else None


@dataclass(frozen=True)
class Dockerfile:
    #: The path as the user gave it (for messages), and its text.
    path: str
    text: str
    instructions: tuple[Instruction, ...]
    stages: tuple[Stage, ...]
    #: ARGs declared before the first FROM (a stage sees them only after `ARG NAME`).
    global_args: frozenset[str] = frozenset()

    def stage(self, ref: str | None) -> Stage | None:
        """The stage a `--from=x` or `FROM x` names (a name or an index), or None."""
        if ref is None:
            return None
        for stage in self.stages:
            if stage.name and stage.name.lower() == ref.lower():
                return stage
        if ref.isdigit() and int(ref) < len(self.stages):
            return self.stages[int(ref)]
        return None

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    def lineage(self, stage: Stage) -> tuple[Stage, ...]:
        """The stage, then the stage it is built FROM, and so on up to an image."""
        chain = [stage]
        while chain[-1].parent is not None and len(chain) <= len(self.stages):
            chain.append(self.stages[chain[-1].parent])
        return tuple(chain)

    def root_image(self, stage: Stage) -> str:
        """The image at the bottom of a stage's lineage (`scratch`, `rust:1.80`...)."""
        return self.lineage(stage)[-1].base


def expand(
    text: str, values: Mapping[str, str], blank: frozenset[str] = frozenset()
) -> tuple[str, frozenset[str]]:
    """BuildKit's variable expansion; (result, names the Dockerfile does not define).

    A value known only at build time, or a name the Dockerfile does not define (the base
    image may), stays as `${NAME}` so nothing guesses at it; names in `blank` (global ARGs
    a stage did not declare again) expand to nothing, as BuildKit does."""
    missing: set[str] = set()

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "\\$":
            return "$"
        name = match.group(1) or match.group(4)
        op, word = match.group(2), match.group(3) or ""
        value = values.get(name)
        if value == UNKNOWN:
            # An ARG without a value is unset unless --build-arg gives one: a plain build
            # takes the default (and drops an alternative). Platform arguments always have
            # a value.
            if name not in PLATFORM_ARGS and op in (":-", "-", ":+", "+"):
                return word if op in (":-", "-") else ""
            return "${" + name + "}"
        if op in (":-", "-"):
            return value if value else word
        if op in (":+", "+"):
            return word if value else ""
        if value is None:
            missing.add(name)
            if name not in blank and op is None:
                return "${" + name + "}"
        return value or ""

    return _VAR.sub(one, text), frozenset(missing)


def read_text(path: Path) -> str:
    """The file's text; DockerfileError for a symlink loop, a binary or an empty file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        if err.errno == 40:  # ELOOP
            raise DockerfileError(f"{path}: a symlink loop, not a file", kind="read") from None
        raise DockerfileError(f"{path}: cannot read: {err.strerror}", kind="read") from None
    if _BINARY.search(data[:65536]):
        raise DockerfileError(f"{path}: a binary file, not a Dockerfile")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DockerfileError(f"{path}: not UTF-8 text (byte {err.start})") from None
    if not text.strip():
        raise DockerfileError(f"{path}: empty, no instruction in it")
    return text


def parse(text: str, path: str = "Dockerfile") -> Dockerfile:
    """The Dockerfile's stages; DockerfileError when BuildKit would reject it."""
    import dockerfile as buildkit  # the official parser, a compiled extension

    try:
        commands = buildkit.parse_string(text)
    except buildkit.GoParseError as err:
        if "no instructions" in str(err):
            raise DockerfileError(f"{path}: no instruction in it, only comments") from None
        raise DockerfileError(f"{path}: BuildKit cannot parse it: {err}") from None
    _reject_unknown(commands, path)
    if not any((c.cmd or "").upper() == "FROM" for c in commands):
        raise DockerfileError(f"{path}: no FROM, so there is no stage to build", 0, "instruction")
    return _Walker(path, text).walk(commands)


def _reject_unknown(commands, path: str) -> None:
    seen_from = False
    for cmd in commands:
        name = (cmd.cmd or "").upper()
        where = f"{path}:{cmd.start_line}"
        line = cmd.start_line
        if name not in INSTRUCTIONS:
            word = cmd.original.split()[0] if cmd.original.split() else cmd.original
            raise DockerfileError(f"{where}: unknown instruction {word!r}; BuildKit rejects it", line, "instruction")
        if name == "FROM" and not any(cmd.value):
            raise DockerfileError(f"{where}: FROM names no image", line, "instruction")
        if name in NEEDS_ARGS and not any(cmd.value) or name in {"COPY", "ADD"} and len(cmd.value) < 2:
            what = "a source and a destination" if name in {"COPY", "ADD"} else "arguments"
            raise DockerfileError(f"{where}: {name} without {what}; BuildKit rejects it", line, "instruction")
        seen_from = seen_from or name == "FROM"
        if not seen_from and name != "ARG":
            raise DockerfileError(f"{where}: {name} before the first FROM (only ARG may come first)", line, "instruction")


class _Walker:
    """Follows the instructions in order, keeping each stage's directory and variables."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text
        self.globals: dict[str, str] = {}
        self.stages: list[dict] = []
        self.done: list[Instruction] = []

    def walk(self, commands) -> Dockerfile:
        for cmd in commands:
            name = cmd.cmd.upper()
            if name == "FROM":
                self._from(cmd)
            elif not self.stages:
                self._global_arg(cmd)
            else:
                self._step(cmd, name)
        stages = tuple(
            Stage(
                index=i,
                name=s["name"],
                base=s["base"],
                line=s["line"],
                instructions=tuple(x for x in self.done if x.stage == i),
                parent=s["parent"],
                platform=s["platform"],
                workdir=s["workdir"],
            )
            for i, s in enumerate(self.stages)
        )
        return Dockerfile(self.path, self.text, tuple(self.done), stages, frozenset(self.globals))

    def _make(self, cmd, name: str, state: dict | None, values: Mapping[str, str]) -> Instruction:
        missing: set[str] = set()
        args, flags = tuple(cmd.value), tuple(cmd.flags)
        if name in EXPANDED:
            args = tuple(self._expand(a, values, missing) for a in args)
            if name not in {"ENV", "LABEL", "ARG"}:  # those keep quotes around values
                args = tuple(_unquote_word(a) for a in args)
        if name in EXPANDED or name == "RUN":  # RUN --mount flags are expanded too
            flags = tuple(self._expand(f, values, missing) for f in flags)
        return Instruction(
            name=name,
            line=cmd.start_line,
            end_line=cmd.end_line,
            args=args,
            flags=flags,
            json=bool(cmd.json),
            original=cmd.original,
            heredocs=tuple(h.content for h in cmd.heredocs),
            raw=tuple(cmd.value),
            stage=len(self.stages) - 1,
            workdir=state["workdir"] if state else "",
            vars=MappingProxyType(dict(values)),
            undefined=frozenset(missing),
        )

    def _expand(self, text: str, values: Mapping[str, str], missing: set[str]) -> str:
        # Inside a stage, a global ARG not declared again expands to nothing.
        blank = frozenset(self.globals) - frozenset(values) if self.stages else frozenset()
        result, names = expand(text, values, blank)
        missing |= names
        return result

    def _global_arg(self, cmd) -> None:
        instruction = self._make(cmd, "ARG", None, self.globals)
        for item in instruction.args:
            key, sep, value = item.partition("=")
            self.globals[key] = value if sep else UNKNOWN if key in PLATFORM_ARGS else self.globals.get(key, UNKNOWN)
        self.done.append(instruction)

    def _from(self, cmd) -> None:
        globals_ = {**{k: UNKNOWN for k in PLATFORM_ARGS}, **self.globals}
        words = [self._expand(w, globals_, set()) for w in cmd.value if w]
        base = words[0]
        name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else ""
        platform = next((self._expand(f[len("--platform="):], globals_, set())
                         for f in cmd.flags if f.startswith("--platform=")), "")
        parent = next(
            (i for i, s in enumerate(self.stages) if s["name"] and s["name"].lower() == base.lower()),
            None,
        )
        state = {"name": name, "base": base, "line": cmd.start_line, "parent": parent,
                 "platform": platform, "workdir": "", "env": {}, "args": {}}
        if parent is not None:
            state["workdir"] = self.stages[parent]["workdir"]
            state["env"] = dict(self.stages[parent]["env"])
        self.stages.append(state)
        self.done.append(self._make(cmd, "FROM", state, globals_))

    def _step(self, cmd, name: str) -> None:
        state = self.stages[-1]
        values = {**state["env"], **state["args"]}
        instruction = self._make(cmd, name, state, values)
        self.done.append(instruction)
        if name == "WORKDIR" and instruction.args:
            state["workdir"] = posixpath.normpath(posixpath.join(state["workdir"], instruction.args[0]))
        elif name == "ARG":
            for item in instruction.args:
                key, sep, value = item.partition("=")
                state["args"][key] = value if sep else self.globals.get(key, UNKNOWN)
        elif name == "ENV":
            state["env"].update(env_pairs(instruction))


def env_pairs(instruction: Instruction) -> list[tuple[str, str]]:
    """ENV's (key, value) pairs, quotes removed: the parser gives keys and values in turn."""
    args = list(instruction.args)
    return [(args[i], _unquote(args[i + 1])) for i in range(0, len(args) - 1, 2)]


def _unquote_word(word: str) -> str:
    """`"$APP"/bin` -> `/app/bin`, as BuildKit reads a COPY or USER argument."""
    if "'" not in word and '"' not in word:
        return word
    try:
        parts = shlex.split(word)
    except ValueError:
        return word
    return parts[0] if len(parts) == 1 else word


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].replace('\\"', '"') if value[0] == '"' else value[1:-1]
    return value
