"""What an option is: its key, kind, values, default and parser (the table lives in
options.py, its rows in options_<group>.py)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .project import Project

Choices = Mapping[str, Any]


class OptionError(ValueError):
    """A value that an option does not accept; the message says what it does accept."""


@dataclass(frozen=True)
class Value:
    """One allowed value of a choice option, with its plain-words trade-off."""

    value: str
    label: str
    help: str
    #: The expected final image size, for runtime choices ("" when it does not apply).
    size: str = ""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    #: "choice", "bool", "int", "text" or "list".
    kind: str
    #: The step of the wizard that asks it.
    group: str
    help: str
    default: Callable[[Project, Choices], Any]
    values: tuple[Value, ...] = ()
    #: For choices whose values come from the project (binaries): project -> values.
    dynamic_values: Callable[[Project], tuple[Value, ...]] | None = None
    #: For text options: a regular expression the whole value must match.
    pattern: str = ""
    #: For int options.
    minimum: int = 0
    maximum: int = 0
    #: What the pattern means, for error messages.
    expects: str = ""
    #: When to ask: (project, choices) -> bool. The value still exists when not asked.
    relevant: Callable[[Project, Choices], bool] = field(default=lambda p, c: True)
    #: How the default is derived, in words ("" when it is the same for every project).
    derived: str = ""
    #: For list options: turns the items into the stored value, raising OptionError with
    #: the fix (the ports option parses "8080, 21116/udp").
    clean: Callable[[tuple[str, ...]], tuple[str, ...]] | None = None
    #: Other keys that name this option (an old answers file's `port = 8080`).
    aliases: tuple[str, ...] = ()

    def allowed(self, project: Project | None) -> tuple[Value, ...]:
        if self.dynamic_values is not None:
            return self.dynamic_values(project) if project is not None else ()
        return self.values

    def value_help(self, value: Any, project: Project | None = None) -> Value | None:
        return next((v for v in self.allowed(project) if v.value == value), None)

    def parse(self, raw: Any, project: Project | None = None) -> Any:
        """Turn a raw value (from --set, a TOML file or a widget) into this option's type."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"true", "yes", "on", "1"}:
                return True
            if text in {"false", "no", "off", "0"}:
                return False
            raise OptionError(f"{self.key} takes true or false, not {raw!r}")
        if self.kind == "int":
            try:
                number = int(str(raw).strip())
            except ValueError:
                raise OptionError(f"{self.key} takes a whole number, not {raw!r}") from None
            if not self.minimum <= number <= self.maximum:
                raise OptionError(
                    f"{self.key} takes a number from {self.minimum} to {self.maximum}, not {number}"
                )
            return number
        if self.kind == "list":
            items = raw if isinstance(raw, list | tuple) else _split_list(str(raw))
            items = tuple(str(item).strip() for item in items if str(item).strip())
            if self.pattern:
                for item in items:
                    if not re.fullmatch(self.pattern, item):
                        raise OptionError(f"{self.key}: {item!r} is not {self.expects}")
            return self.clean(items) if self.clean is not None else items
        text = str(raw).strip()
        if self.kind == "choice":
            allowed = [v.value for v in self.allowed(project)]
            if project is None and self.dynamic_values is not None:
                return text
            if text not in allowed:
                raise OptionError(f"{self.key} takes one of {', '.join(allowed)}; not {text!r}")
            return text
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise OptionError(f"{self.key}: {text!r} is not {self.expects}")
        if self.key == "args":
            try:
                shlex.split(text)
            except ValueError as err:
                raise OptionError(f"args: {err} in {text!r}") from None
        return text

    def to_json(self, project: Project | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "group": self.group,
            "help": self.help,
        }
        if self.kind == "choice":
            data["values"] = [
                {"value": v.value, "label": v.label, "help": v.help, "size": v.size}
                for v in self.allowed(project)
            ]
        if self.kind == "int":
            data["minimum"], data["maximum"] = self.minimum, self.maximum
        if self.pattern:
            data["expects"] = self.expects
        if self.derived:
            data["derived"] = self.derived
        return data


def plain(value: Any) -> Any:
    """A value as TOML and JSON write it: tuples (list options) become lists."""
    return list(value) if isinstance(value, tuple) else value


def _split_list(text: str) -> list[str]:
    return [part for part in re.split(r"[,\n]", text)]
