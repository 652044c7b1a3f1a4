"""What every wizard screen shares: header, step list, footer, the outcome from the App."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from rustdock.wizard.findings import Finding

from .messages import FixRequested, Navigate
from .steps import DONE, PROJECT, first_fix, heading
from .widgets.finding_note import FindingNote
from .widgets.step_list import StepList
from .widgets.step_strip import StepStrip

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome


class WizardScreen(Screen):
    """A step of the wizard. Subclasses give `step` and compose their body in `body()`."""

    DEFAULT_CSS = """
    WizardScreen {
        #frame { height: 1fr; }
        #main { width: 1fr; height: 1fr; }
        #heading { height: auto; padding: 0 1; }
        #body { width: 1fr; height: 1fr; padding: 0 1; }
        .step-title { text-style: bold; color: $text-accent; height: auto; width: 1fr; }
        &.-wide StepStrip { display: none; }
        &.-narrow StepList, &.-medium StepList { display: none; }
        &.-short #heading { padding: 0 1; }
    }
    """

    # Below 100 columns the preview collapses; below 150 the step list gives way to a
    # one-line strip, so the fields and the preview keep their width.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]

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
            with Vertical(id="main"):
                with Horizontal(id="heading"):
                    yield Static(Content(self.heading()), id="title", classes="step-title")
                    yield StepStrip(self.step, id="strip").data_bind(WizardScreen.outcome)
                yield from self.body()
        yield Footer()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_screen_resume(self) -> None:
        self._fit(self.app.size.width)

    def _fit(self, width: int) -> None:
        """The width class (-narrow, -medium, -wide) now: a screen switched in while keys
        arrive fast may miss the Resize event that Textual sets them on."""
        fitting = [name for least, name in self.HORIZONTAL_BREAKPOINTS if width >= least]
        for _, name in self.HORIZONTAL_BREAKPOINTS:
            self.set_class(bool(fitting) and name == fitting[-1], name)

    def heading(self) -> str:
        """The line above the body: the same name the step list and the palette use."""
        return heading(self.step)

    def body(self):
        raise NotImplementedError

    def action_next(self) -> None:
        # Relative to where the App is when it handles it: keys pressed fast can still reach
        # a screen that is being replaced, and each press must move one step on.
        self.post_message(Navigate(by=1))

    def action_back(self) -> None:
        self.post_message(Navigate(by=-1))

    # From a text field, where n and b are letters (TextField binds ctrl+n and ctrl+b here).
    def action_next_from_field(self) -> None:
        self.action_next()

    def action_back_from_field(self) -> None:
        self.action_back()

    def fixable(self) -> Finding | None:
        """The finding the fix key applies now: the focused one, else the first."""
        focused = self.focused
        if isinstance(focused, FindingNote) and focused.finding.fix_choices:
            return focused.finding
        return first_fix(self.outcome, self.step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fix":
            # Shown in the Footer only while there is something to fix, on a step that
            # shows the findings (the start screen does not).
            return self.step not in (DONE, PROJECT) and self.fixable() is not None
        if action in ("next", "back") and isinstance(self.focused, Input):
            return False  # the field's own ctrl+n / ctrl+b show in the Footer instead
        if action in ("back", "back_from_field"):
            return self.step != PROJECT
        return True

    def watch_outcome(self) -> None:
        self.refresh_bindings()

    def action_fix(self) -> None:
        finding = self.fixable()
        if finding is not None:
            self.post_message(FixRequested(finding))
