"""The plans the user left, newest last, so ctrl+z can go back one change at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rustdock.wizard.plan import Plan

#: Changes kept; older ones drop off.
DEPTH = 200


@dataclass(frozen=True)
class Change:
    #: The plan before the change.
    before: Plan
    #: The change in words ("Runtime image: scratch", "started over from Smallest...").
    what: str


class History:
    """A stack of changes; `undo` hands back the latest."""

    def __init__(self) -> None:
        self._changes: list[Change] = []

    def __bool__(self) -> bool:
        return bool(self._changes)

    def __len__(self) -> int:
        return len(self._changes)

    def record(self, before: Plan, what: str) -> None:
        self._changes.append(Change(before, what))
        del self._changes[:-DEPTH]

    def undo(self) -> Change | None:
        return self._changes.pop() if self._changes else None

    def rebase(self, move: Callable[[Plan], Plan]) -> None:
        """Every kept plan moved onto a project read again (after a save)."""
        self._changes = [Change(move(c.before), c.what) for c in self._changes]
