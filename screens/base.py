"""What every wizard screen shares: header, step list, footer, the outcome from the App."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from rustdock.wizard.findings import Finding

from .messages import FixRequested, Navigate
from .steps import DONE, PROJECT, first_fix, next_step, previous_step
from .widgets.step_list import StepList

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome


class WizardScreen(Screen):
    """A step of the wizard. Subclasses give `step` and compose their body in `body()`."""

    DEFAULT_CSS = """
    WizardScreen {
        #frame { height: 1fr; }
        #body { width: 1fr; height: 1fr; padding: 0 1; }
        .step-title { text-style: bold; color: $text-accent; height: auto; padding: 0 0 1 0; }
        &.-narrow StepList, &.-medium StepList { display: none; }
    }
    """

    # Below 100 columns the preview collapses; below 120 the step list gives way to it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (120, "-wide")]

    # The ctrl variants also work while a text field has focus (it takes plain letters).
    BINDINGS = [
        Binding("n,ctrl+n", "next", "Next"),
        Binding("b,ctrl+b", "back", "Back"),
        Binding("f,ctrl+f", "fix", "Fix"),
    ]

    step = "project"
    outcome: reactive[Outcome | None] = reactive(None)

    def __init__(self, outcome: Outcome | None = None) -> None:
        super().__init__(id=f"screen-{self.step}")
        self.set_reactive(WizardScreen.outcome, outcome)

    def compose(self):
        yield Header()
        with Horizontal(id="frame"):
            yield StepList(self.step, id="steps").data_bind(WizardScreen.outcome)
            yield from self.body()
        yield Footer()

    def body(self):
        raise NotImplementedError

    def action_next(self) -> None:
        self.post_message(Navigate(next_step(self.step)))

    def action_back(self) -> None:
        self.post_message(Navigate(previous_step(self.step)))

    def fixable(self) -> Finding | None:
        """The finding the fix key applies now."""
        return first_fix(self.outcome, self.step)

    def _key_for(self, finding: Finding) -> str:
        """The key that fixes this finding ("" when the fix key applies another one)."""
        return "f" if finding == self.fixable() else ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fix":
            # Shown in the Footer only while there is something to fix.
            return self.step != DONE and self.fixable() is not None
        if action == "back":
            return self.step != PROJECT
        return True

    def watch_outcome(self) -> None:
        self.refresh_bindings()

    def action_fix(self) -> None:
        finding = self.fixable()
        if finding is not None:
            self.post_message(FixRequested(finding))
