"""Words the import uses in every place it speaks (CLI, welcome screen, fields, review),
in a module that loads nothing else: the wizard's first frame needs them before the
pipeline is loaded."""

from __future__ import annotations

#: What stands on our side of a difference that is a bug of theirs rustdock does not make.
WRITTEN = "written by rustdock"
#: Where an answer comes from when no line says it: what the file leaves out.
_UNSAID = {"frontend": "no # syntax= line"}


def origin_words(key: str, line: int) -> str:
    """Where in their Dockerfile a value comes from, in words ("line 12")."""
    return f"line {line}" if line else _UNSAID.get(key, "what it leaves out")
