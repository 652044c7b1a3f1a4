"""What a generated Dockerfile (and .dockerignore) says, as plain facts the QA judge compares.

Read with the official BuildKit parser (PyPI `dockerfile`), not with rustdock's own code: the
QA corpus checks rustdock from the outside.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import dockerfile


@dataclass
class Stage:
    base: str
    name: str = ""
    packages: list[str] = field(default_factory=list)  # apt-get install / apk add
    runs: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str = ""
    expose: list[str] = field(default_factory=list)
    copies: list[dict] = field(default_factory=list)  # {src: [...], dest, from, chown, line}
    volumes: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    stopsignal: str = ""
    comments: list[str] = field(default_factory=list)
    said: dict[str, str] = field(default_factory=dict)  # instruction -> the comment above it


@dataclass
class Cargo:
    """The flags of the last `cargo build` (or install) of the image's binary."""

    bins: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    no_default_features: bool = False
    all_features: bool = False
    target: str = ""
    locked: bool = False


@dataclass
class Facts:
    stages: list[Stage]
    cargo: Cargo
    text: str

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    @property
    def builders(self) -> list[Stage]:
        return self.stages[:-1] or self.stages

    @property
    def builder_packages(self) -> set[str]:
        return {p for s in self.builders for p in s.packages}

    @property
    def builder_env(self) -> dict[str, str]:
        env: dict[str, str] = {}
        for stage in self.builders:
            env.update(stage.env)
        return env

    @property
    def builder_image(self) -> str:
        rust = [s.base for s in self.builders if re.search(r"(^|/)rust(:|$)|muslrust|rust-musl", s.base)]
        return rust[0] if rust else self.builders[0].base

    @property
    def musl(self) -> bool:
        return "musl" in self.cargo.target or "muslrust" in self.builder_image or (
            "alpine" in self.builder_image and not self.cargo.target)

    @property
    def command(self) -> list[str]:
        return [*self.final.entrypoint, *self.final.cmd]


_INSTALL = re.compile(r"(?:apt-get|apt|apk)\s+(?:install|add)\s+([^&;|]*)")


def _packages(run: str) -> list[str]:
    found: list[str] = []
    for match in _INSTALL.finditer(run.replace("\\\n", " ")):
        for word in match.group(1).split():
            if not word.startswith("-") and not word.startswith("$"):
                found.append(word.split("=")[0])
    return found


def _cargo(run: str, cargo: Cargo) -> None:
    for part in re.split(r"&&|;|\|\|", run):
        if not re.search(r"\bcargo\s+(build|install|chef\s+cook|auditable\s+build)\b", part):
            continue
        words = shlex.split(part.replace("\\\n", " "), posix=True) if part.count('"') % 2 == 0 else part.split()
        found = Cargo(locked="--locked" in words)
        it = iter(range(len(words)))
        for i in it:
            word = words[i]
            key, eq, val = word.partition("=")
            nxt = val if eq else (words[i + 1] if i + 1 < len(words) else "")
            if key in ("--bin", "-p", "--package", "--features", "-F", "--target"):
                if not eq:
                    next(it, None)
                if key == "--bin":
                    found.bins.append(nxt)
                elif key in ("-p", "--package"):
                    found.packages.append(nxt)
                elif key in ("--features", "-F"):
                    found.features += [f for f in re.split(r"[,\s]+", nxt.strip("\"'")) if f]
                else:
                    found.target = nxt
            elif word == "--no-default-features":
                found.no_default_features = True
            elif word == "--all-features":
                found.all_features = True
        # the last build wins: dummy-main and cook steps come before the real one
        cargo.__dict__.update(found.__dict__)


def _split_env(values: tuple[str, ...], original: str) -> dict[str, str]:
    if "=" not in original.split(None, 2)[1]:  # legacy `ENV KEY value`
        return {values[0]: " ".join(values[1:])}
    return {values[i]: values[i + 1].strip('"') for i in range(0, len(values) - 1, 2)}


def _words(command) -> list[str]:
    if command.json:
        return list(command.value)
    return ["/bin/sh", "-c", " ".join(command.value)]


def parse(text: str) -> Facts:
    stages: list[Stage] = []
    args: dict[str, str] = {}
    cargo = Cargo()
    comments: list[str] = []
    lines = text.splitlines()
    for command in dockerfile.parse_string(text):
        start = command.start_line - 1
        # comments directly above the instruction (its reasons, as rustdock writes them)
        above, j = [], start - 1
        while j >= 0 and lines[j].lstrip().startswith("#"):
            above.insert(0, lines[j].lstrip("# ").rstrip())
            j -= 1
        value = tuple(re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), v)
                      for v in command.value)
        if command.cmd == "ARG":
            name, _, default = value[0].partition("=")
            args.setdefault(name, default.strip("\"'"))
            continue
        if command.cmd == "FROM":
            words = [v for v in value if not v.startswith("--")]
            stages.append(Stage(base=words[0], name=words[2] if len(words) > 2 else ""))
            comments = []
            continue
        if not stages:
            continue
        stage = stages[-1]
        stage.comments += above
        if above:
            stage.said[command.cmd] = " ".join(above)
        if command.cmd == "RUN":
            stage.runs.append(" ".join(value))
            stage.packages += _packages(" ".join(value))
            _cargo(" ".join(value), cargo)
        elif command.cmd == "ENV":
            stage.env.update(_split_env(value, command.original))
        elif command.cmd == "WORKDIR":
            stage.workdir = str(PurePosixPath(stage.workdir, value[0]))
        elif command.cmd == "USER":
            stage.user = value[0]
        elif command.cmd == "EXPOSE":
            stage.expose += [v if "/" in v else f"{v}/tcp" for v in value]
        elif command.cmd in ("COPY", "ADD"):
            flags = dict(f.lstrip("-").partition("=")[::2] for f in command.flags)
            dest = str(PurePosixPath(stage.workdir, value[-1]))
            stage.copies.append({"src": list(value[:-1]), "dest": dest, "from": flags.get("from", ""),
                                 "chown": flags.get("chown", ""), "line": command.start_line,
                                 "dir_dest": value[-1].endswith("/")})
        elif command.cmd == "VOLUME":
            stage.volumes += list(value)
        elif command.cmd == "ENTRYPOINT":
            stage.entrypoint = _words(command)
        elif command.cmd == "CMD":
            stage.cmd = _words(command)
        elif command.cmd == "STOPSIGNAL":
            stage.stopsignal = value[0]
    if not stages:
        raise ValueError("no FROM in the Dockerfile")
    return Facts(stages=stages, cargo=cargo, text=text)


# -- .dockerignore ------------------------------------------------------------------------


def ignored(path: str, dockerignore: str) -> bool:
    """Whether `path` (relative to the context) is left out of the build context."""
    rules = []
    for line in dockerignore.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append((line.startswith("!"), line.lstrip("!").strip("/")))
    parts = PurePosixPath(path.strip("/")).parts
    result = False
    for negate, pattern in rules:
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            bare = pattern[3:] if pattern.startswith("**/") else ""
            if fnmatch.fnmatchcase(prefix, pattern) or (bare and fnmatch.fnmatchcase(parts[depth - 1], bare)):
                result = not negate
                break
    return result
