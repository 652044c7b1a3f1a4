"""The steps on one line, for terminals too narrow for the step list: where you are, which
steps are done and which have errors, each one clickable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ..steps import STEP_IDS, STEPS, number
from .step_list import steps_with_errors

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome


def strip(current: str, errors: frozenset[str]) -> Content:
    """"✓Start ✓1 ▶2 3 ✖4 … Review Save Done", with words where there is room."""
    here = STEP_IDS.index(current)
    parts: list[Content] = []
    for index, (step, label) in enumerate(STEPS):
        name = str(number(step)) if number(step) else label
        if step == current:
            mark, style = "▶", "bold underline $text-accent"
        elif step in errors:
            mark, style = "✖", "bold $text-error"
        elif index < here:
            mark, style = "✓", "$text-success"
        else:
            mark, style = "", "$text-muted"
        parts.append(Content.styled(f"{mark}{name}", f"{style} @click=app.goto('{step}')"))
    return Content(" ").join(parts)


class StepStrip(Static):
    """Every step on one line; a click goes there."""

    DEFAULT_CSS = """
    StepStrip { width: auto; height: 1; padding: 0 0 0 2; }
    """

    current: reactive[str] = reactive("project")
    outcome: reactive[Outcome | None] = reactive(None)

    def __init__(self, current: str, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.set_reactive(StepStrip.current, current)

    def on_mount(self) -> None:
        self._show()

    def watch_outcome(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.is_mounted:
            self.update(strip(self.current, steps_with_errors(self.outcome)))
