"""A file rustdock would write, with what it holds now: the unit of diff and save."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from .ignore_rules import split
from .meta import written_by_rustdock

#: Files that may hold someone else's work: replaced only with the user's consent.
GUARDED = frozenset({"Dockerfile", ".dockerignore"})


@dataclass(frozen=True)
class FileChange:
    #: Path relative to the project root, with forward slashes.
    path: str
    #: The file's text when it was read, None when it does not exist.
    before: str | None
    after: str
    #: Why rustdock writes it, one line ("Dockerfile", "release profile", ...).
    reason: str = ""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        before = [] if self.before is None else self.before.splitlines(keepends=True)
        after = self.after.splitlines(keepends=True)
        lines = difflib.unified_diff(
            before,
            after,
            fromfile="/dev/null" if self.before is None else f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def keeps_their_lines(change: FileChange) -> bool:
    """A .dockerignore change that keeps every line of theirs and only rewrites the
    section rustdock marks as its own (ignore_rules)."""
    if PurePosixPath(change.path).name != ".dockerignore" or change.before is None:
        return False
    theirs, _ = split(change.before)
    after, marked = split(change.after)
    return marked and after == theirs


def is_foreign(change: FileChange) -> bool:
    """A Dockerfile or .dockerignore that exists, that rustdock did not write, and that
    the change would not keep (a .dockerignore rustdock only adds its section to stays)."""
    return (
        PurePosixPath(change.path).name in GUARDED
        and change.before is not None
        and not written_by_rustdock(change.before)
        and not keeps_their_lines(change)
    )


def unified_diff(changes: Iterable[FileChange]) -> str:
    """One patch for every file that would change, in the order given."""
    return "".join(change.diff() for change in changes if change.changed)
