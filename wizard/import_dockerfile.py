"""A Dockerfile rustdock did not write -> the answers it implies, and what is left over.

`import_dockerfile` reads what the file says (binary, Rust version, libc, builder,
runtime, user, ports, env, arguments, healthcheck, caching, features...) into answers,
each with its line. `starting_plan` makes the plan a new run starts from: those answers,
with the fixes of the errors they cause applied, so the intent carries over and the bug
does not. Nothing is dropped silently: every instruction no answer came from is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import import_map, import_syntax
from .dockerfile.facts import DockerfileFacts, find_ignore
from .dockerfile.facts_build import is_opaque, run_commands
from .dockerfile.parse import Dockerfile, DockerfileError, Instruction, parse, read_text
from .dockerfile.shell import installed_packages
from .findings import Finding
from .options import OptionError, option
from .plan import Plan, make_plan
from .project import Project

#: Instructions that are structure, not choices: reading them loses nothing.
_STRUCTURE = frozenset({"WORKDIR", "ARG", "FROM"})
#: How many rounds of error fixes a starting plan may take.
_FIX_ROUNDS = 4
#: System packages rustdock installs itself when a choice needs them.
MANAGED_PACKAGES = frozenset(
    "musl-tools musl-dev libssl-dev openssl-dev openssl-libs-static pkg-config pkgconf "
    "ca-certificates tzdata curl wget gcc make perl cmake tini tini-static git "
    "openssh-client libssl3 libssl3t64 linux-headers build-essential libc6-dev".split()
)


@dataclass(frozen=True)
class LeftOver:
    """An instruction (or part of one) that became no choice."""

    line: int
    text: str
    why: str


@dataclass(frozen=True)
class Change:
    """A value of the Dockerfile the starting plan changes, and the finding that says why."""

    key: str
    theirs: Any
    ours: Any
    finding: Finding


@dataclass(frozen=True)
class Imported:
    #: The Dockerfile's path relative to the project root.
    path: str
    facts: DockerfileFacts
    #: What the Dockerfile says, as answers (a new plan starts from these).
    answers: Mapping[str, Any]
    #: The answers plus what it does by saying nothing (no USER: root): what checks judge.
    faithful: Mapping[str, Any]
    #: option -> the line that set it (or that lacks it).
    lines: Mapping[str, int]
    #: env key -> the line of its ENV.
    env_lines: Mapping[str, int]
    left_over: tuple[LeftOver, ...]
    #: answer -> the line it came from, where that is not where a finding about it goes
    #: (a user created on line 11 but never switched to: the finding is on the last FROM).
    intent_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def answer_line(self, key: str) -> int:
        """The line an answer came from (0: the file says it by what it lacks)."""
        return self.intent_lines.get(key) or self.lines.get(key, 0)

    def line_of(self, key: str, message: str = "") -> int:
        """The line a finding about `key` belongs to (the ENV of a key it names)."""
        if key == "env":
            named = [line for name, line in self.env_lines.items() if name in message]
            if named:
                return min(named)
        return self.lines.get(key, self.facts.final.line)


def read_dockerfile(path: Path, root: Path) -> Dockerfile:
    try:
        shown = str(path.relative_to(root))
    except ValueError:
        shown = str(path)
    return parse(read_text(path), shown)


def import_facts(facts: DockerfileFacts) -> Imported:
    """The answers a parsed Dockerfile implies (valid for its project), and its leftovers."""
    reading = import_map.Reading()
    import_map.read_build(facts, reading)
    import_map.read_runtime(facts, reading)
    import_map.read_private(facts, reading)
    import_syntax.read_frontend(facts.df.text, reading)
    answers, lines = _valid(reading.stated, facts.project, reading)
    faithful = dict(answers)
    for key, (value, line) in reading.absent.items():
        if key not in faithful:
            faithful[key] = value
            lines.setdefault(key, line)
    meant, meant_lines = _valid(reading.intent, facts.project, reading)
    intent_lines = {k: meant_lines[k] for k in meant if k not in answers}
    answers.update((k, v) for k, v in meant.items() if k not in answers)
    return Imported(
        path=facts.df.path,
        facts=facts,
        answers=MappingProxyType(answers),
        faithful=MappingProxyType(faithful),
        lines=MappingProxyType(lines),
        env_lines=MappingProxyType(dict(reading.env_lines)),
        left_over=_left_over(facts, reading),
        intent_lines=MappingProxyType(intent_lines),
    )


def _valid(stated: dict, project: Project | None, reading: import_map.Reading) -> tuple[dict, dict]:
    answers, lines = {}, {}
    for key, (value, line) in stated.items():
        try:
            answers[key] = option(key).parse(value, project)
        except OptionError as err:
            reading.notes.append((line, f"{err}"))
            continue
        lines[key] = line
    return answers, lines


def _left_over(facts: DockerfileFacts, reading: import_map.Reading) -> tuple[LeftOver, ...]:
    notes = [LeftOver(line, _instruction_text(facts.df, line), why) for line, why in reading.notes]
    noted = {n.line for n in notes}
    for instruction in facts.df.instructions:
        # A RUN may be used for one thing (ca-certificates) and still do another (libpq5).
        used = instruction.line in reading.used and instruction.name != "RUN"
        if used or instruction.line in noted or instruction.name in _STRUCTURE:
            continue
        why = _why_left(instruction, facts)
        if why:
            notes.append(LeftOver(instruction.line, _short(instruction.original), why))
    return tuple(sorted(notes, key=lambda n: n.line))


def _why_left(instruction: Instruction, facts: DockerfileFacts) -> str:
    name = instruction.name
    if name == "RUN":
        steps = run_commands(instruction)
        packages = [p for c in steps for p in installed_packages(c)]
        unknown = [" ".join(c.words[:3]) for c in steps if is_opaque(c)]
        if unknown:
            return f"a step rustdock does not write ({unknown[0]}): not carried over; add it to the new Dockerfile by hand if it is needed"
        other = [p for p in packages if p not in MANAGED_PACKAGES]
        if other:
            return (f"installs {', '.join(other)}: not carried over; rustdock installs what "
                    "Cargo.lock and your choices need")
        return ""
    if name in {"COPY", "ADD"}:
        source = instruction.flag("from")
        if source is not None and facts.df.stage(source) is None:
            return f"copies from the image {source}: not carried over"
        unknown = [s for s in instruction.args[:-1] if not _copied_anyway(s, facts.project)]
        if source is None and unknown:
            return (f"copies {', '.join(unknown)} into the build: with caching=cache-mounts "
                    "rustdock copies the whole context; otherwise only what it knows the build reads")
        return ""
    if name == "ENV":
        return "a build-time variable: rustdock sets what the build needs itself"
    if name in {"LABEL", "MAINTAINER"}:
        return "rustdock writes the OCI labels from Cargo.toml"
    if name in {"VOLUME", "STOPSIGNAL", "SHELL", "ONBUILD", "HEALTHCHECK", "USER", "EXPOSE"}:
        return f"{name} is not carried over"
    return ""


def _copied_anyway(source: str, project: Project | None) -> bool:
    """Project files rustdock copies into every build (manifests, sources, members)."""
    relative = source.strip().lstrip("/").removeprefix("./").rstrip("/") or "."
    if relative in {".", "Cargo.toml", "Cargo.lock", "src", "build.rs", "benches", "examples"}:
        return True
    if relative.startswith((".cargo", "rust-toolchain")) or "*" in relative:
        return True
    if project is None:
        return False
    known = {m.dir for m in project.members} | set(project.extra_dirs)
    known |= {dep for m in project.members for dep in m.path_deps} | {project.vendor_dir}
    return any(relative == k or relative.startswith(k + "/") for k in known if k and k != ".")


def _instruction_text(df: Dockerfile, line: int) -> str:
    found = next((i for i in df.instructions if i.line == line), None)
    return _short(found.original) if found else ""


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- entry points ---------------------------------------------------------------------


def import_dockerfile(project: Project, path: Path | None = None) -> Imported | None:
    """What the project's foreign Dockerfile says; None when there is none.

    Raises DockerfileError when it cannot be read or parsed."""
    path = path or (project.root / project.foreign_dockerfile if project.foreign_dockerfile else None)
    if path is None:
        return None
    df = read_dockerfile(path, project.root)
    return import_facts(DockerfileFacts(df, project, find_ignore(project.root, path)))


def starting_plan(project: Project, imported: Imported, preset_name: str = "",
                  overrides: tuple[str, ...] = ()) -> tuple[Plan, tuple[Change, ...]]:
    """The plan a run starts from: the Dockerfile's answers, then the one-key fixes of the
    errors they cause (each kept as a Change, to explain the difference)."""
    from .rules import errors

    answers = dict(imported.answers)
    origin = {key: (value, imported.answer_line(key)) for key, value in answers.items()}
    plan = make_plan(project, preset_name=preset_name, answers=answers, overrides=overrides,
                     from_dockerfile=origin)
    changes: list[Change] = []
    for _ in range(_FIX_ROUNDS):
        fixable = [f for f in errors(plan) if f.fix_choices and f.option in imported.answers]
        if not fixable:
            break
        finding = fixable[0]
        for key, value in finding.fix_choices:
            changes.append(Change(key, plan.choices[key], value, finding))
        plan = plan.with_choices(dict(finding.fix_choices))
    return plan, tuple(changes)


def judged_plan(project: Project, imported: Imported) -> Plan | None:
    """The plan exactly as the Dockerfile is, for the rules to judge (None if it cannot be
    made, e.g. a value the project rejects)."""
    try:
        return make_plan(project, answers=dict(imported.faithful))
    except OptionError:
        return None
