"""The table of every choice rustdock offers.

One table drives the wizard's screens, `generate --set`, the answers file and
`rustdock options --json`. A default may depend on the project and on choices made
earlier in the table, so the table's order matters: an option only reads keys above it.
"""

from __future__ import annotations

from collections.abc import Mapping

from .option_model import Choices, Option, OptionError, Value, plain
from .options_build import BUILD_OPTIONS
from .options_run import RUN_OPTIONS
from .options_runtime import RUNTIME_OPTIONS
from .options_tls import TLS_OPTIONS

__all__ = ["Choices", "GROUPS", "OPTIONS", "OPTIONS_BY_KEY", "Option", "OptionError", "Value",
           "option", "plain"]

#: Every option, in table order (the rows live in one module per group of steps).
OPTIONS: tuple[Option, ...] = BUILD_OPTIONS + TLS_OPTIONS + RUNTIME_OPTIONS + RUN_OPTIONS

OPTIONS_BY_KEY: Mapping[str, Option] = {option.key: option for option in OPTIONS}
#: Keys older answers files and scripts use: `port = 8080` is now `ports`.
ALIASES: Mapping[str, str] = {alias: o.key for o in OPTIONS for alias in o.aliases}

#: The wizard's steps, in order, with the groups of options each one asks.
GROUPS: tuple[tuple[str, str], ...] = (
    ("build", "Build and target"),
    ("caching", "Caching and profile"),
    ("tls", "TLS and certificates"),
    ("allocator", "Allocator"),
    ("runtime", "Runtime image"),
    ("user", "User, health, signals"),
    ("run", "Port, args, env, files"),
    ("private", "Private dependencies"),
)


def option(key: str) -> Option:
    """The option named `key` (or one of its old names)."""
    try:
        return OPTIONS_BY_KEY[ALIASES.get(key, key)]
    except KeyError:
        close = [k for k in OPTIONS_BY_KEY if k.startswith(key[:3])]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise OptionError(f"no option named {key!r}{hint}; `rustdock options` lists them") from None
