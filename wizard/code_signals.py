"""Whether a program stops on SIGTERM, from its dependencies and its non-test sources.

The answer is one of "sigterm" (a handler or its framework's default stops it), "sigint"
(only Ctrl-C's signal is handled: STOPSIGNAL SIGINT fits) or "none", with the reason a
user can check (the file and line, or the framework's documented default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .cargo_manifest import Dep
from .cargo_sources import Sources
from .signals_table import (
    FRAMEWORK_SIGNALS,
    SIGINT_CALLS,
    SIGINT_WORDS,
    SIGTERM_CALLS,
    SIGTERM_FEATURES,
    SIGTERM_WORDS,
)

SIGTERM, SIGINT, NONE = "sigterm", "sigint", "none"


def _first(pattern: re.Pattern[str], files: list[tuple[str, str]], words: tuple[str, ...]) -> str:
    """"path:line call()" of the first match in a file holding one of `words`, "" when none."""
    for path, text in files:
        if not any(word in text for word in words):
            continue
        match = pattern.search(text)
        if match:
            call = re.sub(r"\s*\($", "()", match[0].strip())
            return f"{path}:{text.count(chr(10), 0, match.start()) + 1} {call}"
    return ""


def detect_signals(program_deps: Iterable[Dep], sources: Sources) -> tuple[str, str]:
    # `sources` without test code and comments (code_writes.program_sources).
    """(kind, why) for the program built from these dependencies and sources; `why` is
    the place ("src/main.rs:30 SignalKind::terminate()"), the framework's default, or
    what is missing."""
    deps = {d.name: d for d in program_deps}
    files = list(sources.files)
    for crate, row in FRAMEWORK_SIGNALS.items():
        if crate not in deps or not row.handles_sigterm:
            continue
        disabled = _first(re.compile(row.disabled_by), files, row.disabled_words) if row.disabled_by else ""
        if not disabled:
            return SIGTERM, f"{crate} handles it by default"
    found = _first(SIGTERM_CALLS, files, SIGTERM_WORDS)
    if found:
        return SIGTERM, found
    for crate, feature in SIGTERM_FEATURES:
        if crate in deps and feature in deps[crate].features:
            return SIGTERM, f"{crate} with its `{feature}` feature handles SIGTERM"
    found = _first(SIGINT_CALLS, files, SIGINT_WORDS)
    if found:
        return SIGINT, found
    quiet = [c for c, row in FRAMEWORK_SIGNALS.items() if c in deps and not row.handles_sigterm]
    if quiet:
        return NONE, f"{quiet[0]} installs no handler by default and the sources add none"
    return NONE, "no SIGTERM handler in the sources"
