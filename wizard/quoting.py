"""Dockerfile text that must be quoted right: ENV/LABEL values, exec form, printf lines."""

from __future__ import annotations

import json
import re
import shlex

_BARE = re.compile(r"[A-Za-z0-9_./:,@%+=-]+")


def quote(value: str) -> str:
    """A Dockerfile ENV/LABEL value: bare when safe, else double-quoted with \\ " $ escaped
    (Docker expands $VARS inside ENV and LABEL values)."""
    value = " ".join(value.split())
    if _BARE.fullmatch(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


def exec_form(words: list[str]) -> str:
    """A JSON array for exec-form ENTRYPOINT/CMD/HEALTHCHECK."""
    return json.dumps(words, ensure_ascii=False)


def printf_lines(lines: list[str], path: str) -> str:
    return "printf '%s\\n' " + " ".join(shlex.quote(line) for line in lines) + f" > {path}"
