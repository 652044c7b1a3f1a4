"""The sidebar: every step of the wizard, where you are, and which steps have errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option as ListOption

from ..messages import Navigate
from ..steps import STEPS, group_of, number

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome


def steps_with_errors(outcome: Outcome | None) -> frozenset[str]:
    if outcome is None:
        return frozenset()
    return frozenset(group_of(f.option) for f in outcome.errors)


class StepList(OptionList):
    """Lists the steps; selecting one goes there."""

    DEFAULT_CSS = """
    StepList {
        width: 28;
        height: 1fr;
        border: none;
        border-right: tall $foreground 15%;
        background: $panel;
        padding: 0;
        &:focus { border: none; border-right: tall $accent; }
    }
    """

    current: reactive[str] = reactive("project")
    outcome: reactive[Outcome | None] = reactive(None)

    def __init__(self, current: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(StepList.current, current)

    def on_mount(self) -> None:
        self._fill()

    def watch_current(self) -> None:
        self._fill()

    def watch_outcome(self) -> None:
        self._fill()

    def _fill(self) -> None:
        if not self.is_mounted:
            return
        errors = steps_with_errors(self.outcome)
        ids = [step for step, _ in STEPS]
        here = ids.index(self.current)
        options = []
        for index, (step, label) in enumerate(STEPS):
            if step == self.current:
                mark = ("▶ ", "bold $text-accent")
            elif step in errors:
                mark = ("✖ ", "$text-error")
            elif index < here:
                mark = ("✓ ", "$text-success")
            else:
                mark = ("  ", "")
            style = "bold" if step == self.current else ""
            name = f"{number(step)}. {label}" if number(step) else label
            prompt = Content.assemble(mark, (name, style))
            options.append(ListOption(prompt, id=step))
        self.set_options(options)
        self.highlighted = here

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id and event.option_id != self.current:
            self.post_message(Navigate(event.option_id))
