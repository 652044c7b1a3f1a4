"""Saving from any step, and bringing Cargo.lock in step after a save: part of the App.

The App mixes this in; it owns the state (outcome, last save, lock) these methods change.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from .messages import SaveRequested
from .save import SaveScreen
from .steps import DONE, SAVE

if TYPE_CHECKING:
    from rustdock.wizard.lockfile import Refresh


class Saving:
    """ctrl+s from every step, the save itself, and `cargo update --workspace` after it."""

    def action_save(self) -> None:
        """ctrl+s, from every step: save now, or show what stands in the way."""
        from rustdock.wizard.changes import is_foreign

        current = self.outcome
        if current is None:
            return
        if isinstance(self.screen, SaveScreen):
            self.screen.action_save()
            return
        if current.errors:
            count = len(current.errors)
            self.go(SAVE)
            self.notify(f"{count} error{'s' * (count != 1)} must be fixed first: they are listed "
                        "here, f applies the first fix.", title="Not saved", severity="warning")
            return
        if any(c.changed and is_foreign(c) for c in current.changes):
            self.go(SAVE)
            self.notify("A file rustdock did not write would be replaced: tick the box to allow "
                        "it, then ctrl+s again.", title="Not saved", severity="warning")
            return
        self.post_message(SaveRequested())

    def on_save_requested(self, message: SaveRequested) -> None:
        from rustdock.wizard.save import SaveError, save

        current = self.outcome
        if current is None or not current.can_save:
            return
        try:
            result = save(self.root, current.changes, force=message.force)
        except SaveError as err:
            if isinstance(self.screen, SaveScreen):
                self.screen.save_error = str(err)
            self.notify(str(err), title="Nothing was saved", severity="error", timeout=10)
            return
        self._saved = (current.plan.preset, current.plan.answers())
        self.last_save = result
        # The files on disk changed: the next diffs compare against what was just written,
        # and the start screen shows the project as it is now (TLS stack, Cargo.lock).
        self.set_plan(current.plan)
        self.detect_project(self.root, again=True)
        self.go(DONE, result=result, saved_outcome=current)

    def action_refresh_lock(self) -> None:
        """Run `cargo update --workspace` for the user (offered after a save that needs it)."""
        if self.lockfile.running or self.project is None:
            return
        self.lockfile = self.lockfile.started()
        self._refresh_lock(self.root)

    @work(thread=True, exclusive=True, group="lock")
    def _refresh_lock(self, root: Path) -> None:
        from rustdock.wizard.lockfile import refresh

        result = refresh(root)
        self.call_from_thread(self._lock_refreshed, result)

    def _lock_refreshed(self, result: Refresh) -> None:
        self.lockfile = self.lockfile.finished(result.ok, result.output)
        self.detect_project(self.root, again=True)
