"""How `rustdock verify` shows itself on a terminal: the streamed log under a progress
line that rewrites itself in place, and the table of checks at the end."""

from __future__ import annotations

import re
from typing import TextIO

from .verify import Report
from .verify_checks import FAIL

_MARK = {"pass": "pass", "fail": "FAIL", "skip": "skip"}


def table(report: Report) -> str:
    """The checks, one per line, in columns."""
    width = max(len(c.name) for c in report.checks)
    lines = [f"{'check'.ljust(width)}  result  detail"]
    for check in report.checks:
        lines.append(f"{check.name.ljust(width)}  {_MARK[check.status].ljust(6)}  {check.detail}")
    return "\n".join(lines) + "\n"


def failures(report: Report) -> list[str]:
    """One line per failed check: what was seen and what to change."""
    return [f"rustdock: verify: {c.line()}" for c in report.checks if c.status == FAIL]


class Console:
    """Log lines scroll; on a terminal one status line stays at the bottom, rewritten
    in place. Elsewhere (a file, CI) a status is printed once, when it changes."""

    def __init__(self, out: TextIO, *, log: bool = True) -> None:
        self.out = out
        self.tty = out.isatty()
        self.show_log = log
        self._status = ""

    def _clear(self) -> None:
        if self.tty and self._status:
            self.out.write("\r\x1b[K")

    def _draw(self) -> None:
        if self.tty and self._status:
            self.out.write(self._status[:200])
        self.out.flush()

    def line(self, text: str) -> None:
        if not self.show_log:
            return
        self._clear()
        self.out.write(text + "\n")
        self._draw()

    def status(self, text: str) -> None:
        self._clear()
        before, self._status = self._status, f"[verify] {text}"
        # Off a terminal, a status is worth a line only when more than its time changed.
        if not self.tty and _without_time(before) != _without_time(self._status):
            self.out.write(self._status + "\n")
        self._draw()

    def done(self) -> None:
        self._clear()
        self._status = ""
        self.out.flush()


def _without_time(status: str) -> str:
    return re.sub(r" \(\d+ s\)$", "", status)
