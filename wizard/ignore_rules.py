""".dockerignore as Docker reads it, and how rustdock adds its lines to a hand-written one.

A .dockerignore someone wrote is never replaced: their lines stay as they are, first, and
rustdock's follow in a section between two marker lines, so a later run finds and
rewrites only that section. Later lines win in a .dockerignore, so the section's `!path`
lines put back whatever the build reads that a line above leaves out (lint_dockerignore
reads the patterns as Docker does).
"""

from __future__ import annotations

from collections.abc import Sequence

from .lint_dockerignore import ignored

SECTION_START = ("# --- rustdock: the lines below are rustdock's (rustdock.toml); "
                 "rerun `rustdock` to change them ---")
SECTION_END = "# --- end of rustdock's lines ---"


def user_lines(text: str) -> list[str]:
    """The pattern lines of a .dockerignore (comments and blanks skipped)."""
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def split(text: str) -> tuple[str, bool]:
    """(the file without rustdock's section, whether it had one)."""
    lines = text.splitlines()
    if SECTION_START not in lines:
        return text, False
    start = lines.index(SECTION_START)
    end = lines.index(SECTION_END, start) if SECTION_END in lines[start:] else len(lines) - 1
    kept = lines[:start] + lines[end + 1:]
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + ("\n" if kept else ""), True


def merge(user_text: str, ours: Sequence[str]) -> str:
    """The user's .dockerignore with rustdock's lines after it, in the marked section."""
    head = user_text.rstrip("\n")
    body = "\n".join([SECTION_START, *ours, SECTION_END]) + "\n"
    return f"{head}\n\n{body}" if head else body


def respects(user: Sequence[str], candidate: str) -> bool:
    """A pattern rustdock adds must not leave out what the user's `!path` lines put back,
    and repeats nothing the user already wrote."""
    if candidate in user or candidate.rstrip("/") in user or candidate + "/" in user:
        return False
    return not any(line.startswith("!") and ignored(line[1:].strip(), candidate)
                   for line in user)
