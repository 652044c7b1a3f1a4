"""Save: what will be written, consent to replace files rustdock did not write, then write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, Checkbox, Static

from rustdock.wizard.changes import FileChange, is_foreign

from .base import WizardScreen
from .messages import SaveRequested
from .widgets.finding_note import FindingNote
from .widgets.rebuildable import Rebuildable

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome

#: Files that carry the marker when rustdock wrote them, with the lines it may be on.
def foreign_files(outcome: Outcome) -> tuple[str, ...]:
    return tuple(c.path for c in outcome.changes if c.changed and is_foreign(c))


def file_status(change: FileChange) -> str:
    if change.before is None:
        return "new"
    if not change.changed:
        return "unchanged"
    return "replace (not rustdock's)" if is_foreign(change) else "update"


class SaveScreen(WizardScreen):
    """Lists the files, asks before replacing foreign ones, and refuses while errors exist."""

    DEFAULT_CSS = """
    SaveScreen {
        #files { height: auto; max-height: 50%; margin: 0 0 1 0; }
        #actions { margin: 1 0 0 0; }
        #errors { height: auto; }
        #save-error { height: auto; color: $text-error; margin: 1 0 0 0; }
        #save-error.-empty { display: none; }
        #actions { height: auto; }
        #actions Button { margin: 0 2 0 0; }
        Checkbox { margin: 0 0 1 0; }
    }
    """

    # ctrl+s is the App's (it saves from every step and hands over to action_save here).
    BINDINGS = [Binding("n,ctrl+n", "next", "Save", show=False)]

    step = "save"

    def heading(self) -> str:
        return "Save the files"
    #: The last SaveError's message, shown until the next try.
    save_error: reactive[str] = reactive("")

    def body(self):
        yield Rebuildable(self._contents, id="body")

    def _contents(self):
        outcome = self.outcome
        assert outcome is not None
        yield Static(self._file_table(outcome), id="files")
        foreign = foreign_files(outcome)
        if outcome.errors:
            yield Static(
                Content.styled("Nothing is written while an error stands:", "bold $text-error")
            )
            with VerticalScroll(id="errors"):
                for finding in outcome.errors:
                    yield FindingNote(finding, with_option=True, first=finding == self.fixable(),
                                          project=outcome.plan.project)
        elif foreign:
            yield Checkbox(
                Content(f"Replace {' and '.join(foreign)}, which rustdock did not write"),
                id="overwrite",
            )
        yield Static(Content(self.save_error), id="save-error", classes="" if self.save_error else "-empty")
        with Horizontal(id="actions"):
            yield Button(
                Content("Save  [ctrl+s]"), id="save", variant="success", disabled=bool(outcome.errors)
            )
            yield Button(Content("Back to review  [b]"), id="back")

    @staticmethod
    def _file_table(outcome: Outcome) -> Content:
        width = max(len(c.path) for c in outcome.changes) + 2
        lines = [
            Content.assemble(
                (f"{change.path:<{width}}", "bold"),
                (f"{file_status(change):<26}", "$text-warning" if is_foreign(change) else "$text-muted"),
                change.reason,
            )
            for change in outcome.changes
        ]
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        target = self.query("#overwrite") or self.query("#save")
        target.first().focus()

    def watch_outcome(self) -> None:
        super().watch_outcome()
        if self.is_mounted and self.is_current:
            self.call_later(self.query_one("#body", Rebuildable).rebuild)

    def watch_save_error(self, text: str) -> None:
        for widget in self.query("#save-error"):
            widget.update(Content(text))
            widget.set_class(not text, "-empty")

    def action_next(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        assert self.outcome is not None
        if self.outcome.errors:
            self.save_error = "Fix the errors above first (f applies the first fix)."
            return
        foreign = foreign_files(self.outcome)
        consent = self.query("#overwrite")
        force = bool(consent) and consent.first(Checkbox).value
        if foreign and not force:
            self.save_error = f"Tick the box to replace {' and '.join(foreign)}, or go back."
            return
        self.post_message(SaveRequested(force=force))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "back":
            self.action_back()
