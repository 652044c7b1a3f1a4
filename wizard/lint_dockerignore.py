"""Does a .dockerignore drop a path? Docker's rules: patterns are matched in order, the
last match wins, `!` re-includes, `**` spans directories, and a path is dropped when it or
any parent directory matches."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(text):
        if text.startswith("**", i):
            out.append(".*")
            i += 2
            if text.startswith("/", i):
                out[-1] = "(.*/)?"
                i += 1
            continue
        ch = text[i]
        out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out))


def _numbered_rules(dockerignore: str) -> list[tuple[bool, re.Pattern[str], int]]:
    rules = []
    for number, raw in enumerate(dockerignore.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        body = line[1:].strip() if keep else line
        body = body.strip("/")
        # Docker cleans patterns like filepath.Clean: "./x" is "x".
        while body.startswith("./"):
            body = body[2:]
        if body:
            rules.append((keep, _pattern(body), number))
    return rules


def ignored(path: str, dockerignore: str) -> bool:
    """True when `path` (relative to the context root) is left out of the build context."""
    return dropping_line(path, dockerignore) > 0


def dropping_line(path: str, dockerignore: str) -> int:
    """The line of the pattern that leaves `path` out of the build context, 0 when kept."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    dropped = 0
    for keep, pattern, number in _numbered_rules(dockerignore):
        if any(pattern.fullmatch(prefix) for prefix in prefixes):
            dropped = 0 if keep else number
    return dropped
