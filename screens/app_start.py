"""Where a plan starts: a preset, the saved answers, the project's defaults or the
project's own Dockerfile (the offer the App made when it read the project). Part of the
App, which owns the state these methods change; every start after the first is a plan
swap kept in the history, so ctrl+z takes it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rustdock.wizard.options import OptionError
from rustdock.wizard.plan import make_plan
from rustdock.wizard.presets import preset as find_preset
from rustdock.wizard.settings import starting_answers

from .confirm import ConfirmScreen
from .messages import StartRequested
from .phrases import start_question
from .project import ProjectScreen
from .steps import GROUP_IDS

if TYPE_CHECKING:
    from rustdock.wizard.import_offer import Offer


def start_words(message: StartRequested, offer: Offer | None, *, asking: bool = False) -> str:
    """The starting point in words: for the history ("start over from Smallest"), or for
    the question before it (the preset “Smallest”)."""
    if message.dockerfile:
        return f"your {offer.path if offer else 'Dockerfile'}"
    if message.saved:
        return "your saved answers" if asking else "the saved answers"
    if not message.preset:
        return "the project's defaults"
    label = find_preset(message.preset).label
    return f"the preset “{label}”" if asking else label


class Starting:
    """StartRequested from the welcome screen or the palette, asked first when choices
    would be lost."""

    def _start(self, preset: str = "", *, saved: bool = False, dockerfile: bool = False) -> None:
        project = self.project
        assert project is not None
        offer = self.offer
        if dockerfile and offer is not None and offer.start is not None:
            # The plan the import made: their answers with the fixes of their errors.
            self.set_plan(offer.start.plan)
            return
        stored = project.saved_answers if saved else {}
        preset = str(stored.get("preset", "")) if saved else preset
        preset_choices = find_preset(preset).choices if preset else {}
        answers = starting_answers(self.settings, preset_choices, stored.get("answers"))
        try:
            plan = make_plan(project, preset_name=preset, answers=answers)
        except OptionError as err:
            self._start_failed(f"{err} (in the saved answers); starting from the project's defaults")
            plan = make_plan(project)
        self.set_plan(plan)
        if saved:
            self._saved = (plan.preset, plan.answers())

    def _start_failed(self, message: str) -> None:
        if isinstance(self.screen, ProjectScreen):
            self.screen.start_error = message
        self.notify(message, severity="error", timeout=10)

    def on_start_requested(self, message: StartRequested) -> None:
        if self.project is None:
            return
        if message.dockerfile and (self.offer is None or self.offer.start is None):
            self._start_failed("Your Dockerfile cannot be read; start fresh or from a preset.")
            return
        target = start_words(message, self.offer, asking=True)
        question = start_question(self.plan, target, message.saved, self.unsaved)
        if not question:
            self._start_over(message)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_over(message)

        self.push_screen(ConfirmScreen(question, yes="Start over", no="Keep mine"), answered)

    def _start_over(self, message: StartRequested) -> None:
        before = self.plan
        self._start(message.preset, saved=message.saved, dockerfile=message.dockerfile)
        if before is not None and self.plan is not None and self.plan != before:
            self.history.record(before, "start over from " + start_words(message, self.offer))
            self.refresh_bindings()
        self.go(GROUP_IDS[0])
