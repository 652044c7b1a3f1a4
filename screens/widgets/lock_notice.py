"""Says when Cargo.lock no longer matches the manifests, offers to refresh it, shows cargo's
output. Hidden while the lock is in step and no refresh ran."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, Static

from rustdock.wizard.lockfile import cargo_available, command_text

from ..lock_state import LockState


def lock_text(lock: LockState) -> Content:
    """The notice in words: what is missing, what to run, how a refresh went."""
    command = command_text()
    if lock.running:
        return Content(f"Refreshing Cargo.lock: running `{command}`…")
    if lock.ran and not lock.ok:
        return Content.assemble(("✖ Cargo.lock was not refreshed. ", "bold $text-error"),
                                f"`{command}` failed; its output is below.")
    if lock.stale:
        crates = ", ".join(lock.missing)
        head = ("▲ Cargo.lock is out of date: ", "bold $text-warning")
        why = (f"it lacks {crates}, which Cargo.toml now asks for, so `cargo build --locked` "
               "(and the Dockerfile's build) stops until it is refreshed. ")
        them = "them" if len(lock.missing) > 1 else "it"
        how = (f"Press r (or the button) to run `{command}` now: it adds {them} and changes no "
               "other locked version." if cargo_available() else
               f"cargo is not on PATH here: run `{command}` where it is, then commit Cargo.lock.")
        return Content.assemble(head, why, how)
    if lock.ran:
        return Content.assemble(("✓ Cargo.lock refreshed ", "bold $text-success"),
                                f"with `{command}`. Commit it with the other files.")
    return Content("")


class LockNotice(Vertical):
    """The Cargo.lock notice with its refresh button and cargo's output."""

    DEFAULT_CSS = """
    LockNotice { height: auto; padding: 0 1; margin: 1 0 0 0; border: round $warning 50%; }
    LockNotice.-quiet { display: none; }
    LockNotice.-ok { border: round $success 50%; }
    LockNotice #lock-text { height: auto; }
    LockNotice #lock-actions { height: auto; margin: 1 0 0 0; }
    LockNotice #lock-output { height: auto; max-height: 12; color: $text-muted; margin: 1 0 0 0;
                               overflow-y: auto; }
    LockNotice #lock-output.-empty { display: none; }
    """

    lockfile: reactive[LockState] = reactive(LockState)

    def __init__(self, lock: LockState | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        if lock is not None:
            self.set_reactive(LockNotice.lockfile, lock)

    def compose(self):
        self.border_title = "Cargo.lock"
        # Kept, not queried: the button sits in a container of its own, which may not be
        # mounted yet when this widget's Mount runs (seen when the app quits at once).
        self._text = Static("", id="lock-text")
        self._button = Button(Content(f"Refresh Cargo.lock  [r]  ({command_text()})"),
                              id="refresh-lock", variant="warning")
        self._output = Static("", id="lock-output", markup=False, classes="-empty")
        yield self._text
        with Horizontal(id="lock-actions"):
            yield self._button
        yield self._output

    def on_mount(self) -> None:
        self._show(self.lockfile)

    def watch_lockfile(self, lock: LockState) -> None:
        if self.is_mounted:
            self._show(lock)

    def _show(self, lock: LockState) -> None:
        self.set_class(not lock.stale and not lock.ran and not lock.running, "-quiet")
        self.set_class(lock.ran and lock.ok and not lock.stale, "-ok")
        self._text.update(lock_text(lock))
        self._button.display = (lock.stale or (lock.ran and not lock.ok)) and cargo_available()
        self._button.disabled = lock.running
        self._output.update(lock.output)
        self._output.set_class(not lock.output, "-empty")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "refresh-lock":
            event.stop()
            self.app.run_action("refresh_lock")
