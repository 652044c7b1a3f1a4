"""The Plan: every choice for one project, as one frozen value.

A Plan is never edited. `with_choice` returns a new Plan in which the options the user
has not set explicitly are derived again, so switching libc to glibc also moves the
runtime default from distroless/static to distroless/cc, but never a runtime the user
picked by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .options import OPTIONS, OptionError, option, plain
from .port_spec import tcp_ports
from .presets import preset
from .project import Binary, Project


@dataclass(frozen=True)
class Plan:
    project: Project = field(repr=False, compare=False)
    #: Every option's value, in table order.
    choices: Mapping[str, Any]
    #: Keys the user (or a preset, or an answers file) set; the rest are derived defaults.
    explicit: frozenset[str] = frozenset()
    #: The preset the plan started from, "" for none.
    preset: str = ""
    #: Values a Dockerfile rustdock did not write gave the plan: key -> (value, line).
    from_dockerfile: Mapping[str, tuple[Any, int]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )

    def __getattr__(self, name: str) -> Any:
        # Lets templates and screens write plan.libc instead of plan.choices["libc"].
        choices = self.__dict__.get("choices")
        if choices is not None and name in choices:
            return choices[name]
        raise AttributeError(name)

    def with_choice(self, key: str, value: Any) -> Plan:
        """A new Plan with one choice set (parsed and checked like `--set`)."""
        return self.with_choices({key: value})

    def with_choices(self, values: Mapping[str, Any]) -> Plan:
        explicit = {k: self.choices[k] for k in self.explicit}
        for key, raw in values.items():
            opt = option(key)  # an old name (port) sets the option it became (ports)
            explicit[opt.key] = opt.parse(raw, self.project)
        return resolve(self.project, explicit, self.preset, self.from_dockerfile)

    def with_default(self, key: str) -> Plan:
        """A new Plan where `key` goes back to its derived default."""
        explicit = {k: self.choices[k] for k in self.explicit if k != key}
        return resolve(self.project, explicit, self.preset, self.from_dockerfile)

    def dockerfile_line(self, key: str) -> int:
        """The line of the project's Dockerfile this choice still comes from (0: it does not)."""
        found = self.from_dockerfile.get(key)
        if found is None or found[0] != self.choices.get(key):
            return 0
        return found[1] or 1

    def from_preset(self, key: str) -> bool:
        """The value is still the preset's own (a preset's choices count as explicit)."""
        raw = preset(self.preset).choices.get(key) if self.preset and key in self.explicit else None
        if raw is None:
            return False
        try:
            return option(key).parse(raw, self.project) == self.choices.get(key)
        except OptionError:
            return False

    def answers(self) -> dict[str, Any]:
        """The explicit choices, as saved in the answers file (table order)."""
        return {k: plain(v) for k, v in self.choices.items() if k in self.explicit}

    @property
    def port(self) -> int:
        """The primary TCP port, the healthcheck's: the first TCP one of `ports`, 0 for none."""
        return next(iter(tcp_ports(self.choices.get("ports", ()))), 0)

    @property
    def target_binary(self) -> Binary | None:
        """The chosen binary's facts (package, directory, source file)."""
        return self.project.binary(self.choices["binary"])


def resolve(
    project: Project,
    explicit: Mapping[str, Any],
    preset_name: str = "",
    from_dockerfile: Mapping[str, tuple[Any, int]] | None = None,
) -> Plan:
    """Fill in every option: explicit values win, the rest take their derived default."""
    chosen: dict[str, Any] = {}
    for opt in OPTIONS:
        if opt.key in explicit:
            chosen[opt.key] = explicit[opt.key]
        else:
            value = opt.default(project, MappingProxyType(chosen))
            # Values drawn from the project itself (binaries) need no checking.
            chosen[opt.key] = value if opt.dynamic_values else opt.parse(value, project)
    return Plan(
        project=project,
        choices=MappingProxyType(chosen),
        explicit=frozenset(explicit),
        preset=preset_name,
        from_dockerfile=MappingProxyType(dict(from_dockerfile or {})),
    )


def make_plan(
    project: Project,
    *,
    preset_name: str = "",
    answers: Mapping[str, Any] | None = None,
    overrides: Iterable[str] = (),
    from_dockerfile: Mapping[str, tuple[Any, int]] | None = None,
) -> Plan:
    """The plan for a project: a preset, then an answers file, then `--set KEY=VALUE`s.

    Raises OptionError with a message that names the option and what it accepts.
    """
    explicit: dict[str, Any] = {}
    # Preset values are parsed like any other, so a broken preset fails loudly in tests.
    raw_values = [*(preset(preset_name).choices.items() if preset_name else ()),
                  *(answers or {}).items()]
    for key, raw in raw_values:
        opt = option(key)  # an old name (port) sets the option it became (ports)
        explicit[opt.key] = opt.parse(raw, project)
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep:
            raise OptionError(f"--set takes KEY=VALUE, not {item!r}")
        opt = option(key.strip())
        explicit[opt.key] = opt.parse(raw, project)
    return resolve(project, explicit, preset_name, from_dockerfile)

