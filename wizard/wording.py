"""Choices in the words the wizard shows: a choice's label and its value's label, not keys.

The rules write fixes for the command line (`set tls=openssl-vendored`), where keys are what
the user types. The wizard shows the same text with each `key=value` turned into the step's
number, the choice's label and the value's label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .options import GROUPS, OPTIONS_BY_KEY
from .project import Project

#: `key=value` where key is an option (lower case, so `LOCO_ENV=production` stays as it is).
_ASSIGNMENT = re.compile(r"(?<![\w.-])([a-z][a-z_]*)=([^\s,;)`]*[^\s,;).`](?:,[a-z0-9]+)*)")
_GROUP_NUMBERS = {group: index + 1 for index, (group, _) in enumerate(GROUPS)}
_GROUP_LABELS = dict(GROUPS)


def step_number(group: str) -> int:
    """The step number of an option group (1 for the first), 0 for a step that is not one."""
    return _GROUP_NUMBERS.get(group, 0)


def option_label(key: str) -> str:
    opt = OPTIONS_BY_KEY.get(key)
    return opt.label if opt else key


def where(key: str) -> str:
    """Where a choice is asked: "Runtime image (step 5, Runtime image)"."""
    opt = OPTIONS_BY_KEY.get(key)
    if opt is None:
        return key
    number = step_number(opt.group)
    return f"{opt.label} (step {number}, {_GROUP_LABELS[opt.group]})" if number else opt.label


def value_label(key: str, value: Any, project: Project | None = None) -> str:
    """A value as the wizard shows it: the choice's value label, on/off, or the text."""
    opt = OPTIONS_BY_KEY.get(key)
    if opt is None:
        return str(value)
    if opt.kind == "bool" or isinstance(value, bool):
        on = value if isinstance(value, bool) else str(value).lower() in {"true", "yes", "on", "1"}
        return "on" if on else "off"
    if opt.kind == "choice":
        described = opt.value_help(str(value), project)
        return described.label if described else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value) if str(value) else "empty"


def choice_words(key: str, value: Any, project: Project | None = None) -> str:
    """"Runtime image: distroless cc"."""
    return f"{option_label(key)}: {value_label(key, value, project)}"


def choices_words(pairs: Iterable[tuple[str, Any]], project: Project | None = None) -> str:
    """Several choices, joined: "Runtime image: scratch; C library (target): static musl"."""
    return "; ".join(choice_words(k, v, project) for k, v in pairs)


def in_words(text: str, project: Project | None = None) -> str:
    """The text with every `key=value` of an option written as "Label “value label”"."""

    def plain(match: re.Match[str]) -> str:
        key, value = match.group(1), match.group(2)
        if key not in OPTIONS_BY_KEY:
            return match.group(0)
        return f"{option_label(key)} “{value_label(key, value, project)}”"

    return _ASSIGNMENT.sub(plain, text)
