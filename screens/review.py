"""Review: every file a save writes, as diffs, and every finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane, Tabs

from .base import WizardScreen
from .widgets.compare_view import CompareView
from .widgets.diff_view import DiffView
from .widgets.finding_note import FindingNote
from .widgets.rebuildable import Rebuildable

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome
    from rustdock.wizard.import_offer import Offer


def findings_title(outcome: Outcome) -> str:
    errors = len(outcome.errors)
    return f"Findings ({len(outcome.findings)}, {errors} error{'s' * (errors != 1)})"


class ReviewScreen(WizardScreen):
    """Tabs: the findings, then one diff per file."""

    DEFAULT_CSS = """
    ReviewScreen {
        TabbedContent { height: 1fr; }
        TabPane { padding: 0; }
        #findings { height: 1fr; }
        FindingNote { margin: 0 0 1 0; }
        #verdict { height: auto; padding: 0 0 1 0; }
        #verdict.-blocked { color: $text-error; }
    }
    """

    BINDINGS = [Binding("n,ctrl+n", "next", "Save")]

    step = "review"

    def __init__(self, outcome: Outcome | None = None, offer: Offer | None = None) -> None:
        super().__init__(outcome)
        #: The start from their Dockerfile, when the plan came from it: compared here.
        self.offer = offer

    def heading(self) -> str:
        return "Review what a save writes"

    def body(self):
        yield Rebuildable(self._contents, id="body")

    def _contents(self):
        outcome = self.outcome
        assert outcome is not None
        yield Static(Content(""), id="verdict")
        with TabbedContent(id="tabs"):
            with TabPane(findings_title(outcome), id="tab-findings"):
                with VerticalScroll(id="findings"):
                    for finding in outcome.findings:
                        yield FindingNote(finding, with_option=True, first=finding == self.fixable(),
                                          project=outcome.plan.project)
                    if not outcome.findings:
                        yield Static(Content("No findings: nothing to warn about."))
            start = self.offer.start if self.offer is not None else None
            if start is not None and outcome.plan.from_dockerfile:
                from rustdock.wizard.import_compare import compare

                comparison = compare(start, outcome.plan, outcome.rendered.dockerfile)
                count = len(comparison.differences)
                with TabPane(f"Yours → new ({count})", id="tab-compare"):
                    yield CompareView(comparison, start.path)
            for index, change in enumerate(outcome.changes):
                label = change.path + ("" if change.changed else " (same)")
                with TabPane(label, id=f"tab-file-{index}"):
                    yield DiffView(change)

    def on_mount(self) -> None:
        self._verdict()
        self.query_one(Tabs).focus()

    def watch_outcome(self) -> None:
        super().watch_outcome()
        if self.is_mounted:
            # A fix applied from here changes findings and diffs: show them afresh.
            self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        if not self.is_current:
            return  # a save moved on to the done screen meanwhile
        notes = list(self.query(FindingNote))
        at = notes.index(self.focused) if self.focused in notes else -1
        await self.query_one("#body", Rebuildable).rebuild()
        self._verdict()
        # After a fix applied from a finding, the cursor stays among the findings.
        fixable = [n for n in self.query(FindingNote) if n.can_focus]
        if at >= 0 and fixable:
            fixable[min(at, len(fixable) - 1)].focus()
        else:
            self.query_one(Tabs).focus()

    def _verdict(self) -> None:
        assert self.outcome is not None
        if not self.query("#verdict"):
            return
        verdict = self.query_one("#verdict", Static)
        blocked = not self.outcome.can_save
        verdict.set_class(blocked, "-blocked")
        if blocked:
            count = len(self.outcome.errors)
            text = (f"{count} error{'s' * (count != 1)} block saving. f applies the first fix; "
                    "Tab to a finding and Enter applies its own.")
        else:
            changed = sum(c.changed for c in self.outcome.changes)
            text = (f"{changed} file{'s' * (changed != 1)} to write. n goes to the save step, "
                    "ctrl+s saves now.")
        if self.query("#tab-compare"):
            text += " “Yours → new” explains every difference from your Dockerfile."
        verdict.update(Content(text))
