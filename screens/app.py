"""The rustdock wizard: the App owns the state, screens show it, widgets post messages.

State is one frozen Plan (swapped whole on every change, never edited), the Project it
was made for, and the last Outcome (rendered files, findings, changes) computed from it.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen

from rustdock.wizard.detect import DetectError, detect
from rustdock.wizard.options import OptionError
from rustdock.wizard.plan import Plan, make_plan
from rustdock.wizard.presets import preset as find_preset
from rustdock.wizard.project import Project
from rustdock.wizard.settings import (
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    starting_answers,
)

from .commands import WizardCommands
from .confirm import ConfirmScreen
from .done import DoneScreen
from .messages import (
    ChoiceMade,
    ChoiceReset,
    DemoRequested,
    FixRequested,
    Navigate,
    SaveRequested,
    StartRequested,
)
from .project import ProjectScreen
from .review import ReviewScreen
from .save import SaveScreen
from .settings_screen import SettingsScreen
from .step import StepScreen
from .steps import DONE, GROUP_IDS, PROJECT, REVIEW, SAVE, STEP_IDS

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome
    from rustdock.wizard.save import SaveResult


def shown_path(path: Path) -> str:
    """A path as the user reads it: relative to the working directory, or with ~."""
    path = path.resolve()
    for base, prefix in ((Path.cwd(), "."), (Path.home(), "~")):
        try:
            relative = path.relative_to(base.resolve())
        except ValueError:
            continue
        return prefix if relative == Path(".") else f"{prefix}/{relative}"
    return str(path)


def demo_copy() -> Path:
    """A fresh temporary copy of the bundled demo project."""
    from rustdock.wizard.demo import copy_demo

    return copy_demo(Path(tempfile.mkdtemp(prefix="rustdock-demo-")))


class RustdockApp(App[None]):
    """`RustdockApp(root, demo=...).run()` is the wizard."""

    TITLE = "rustdock"
    COMMANDS = App.COMMANDS | {WizardCommands}
    CSS = """
    Screen { background: $background; }
    """

    project: reactive[Project | None] = reactive(None)
    detect_error: reactive[str] = reactive("")
    outcome: reactive[Outcome | None] = reactive(None)

    def __init__(self, project_root: Path, demo: bool = False) -> None:
        super().__init__()
        self.root = Path(project_root)
        self.demo = demo
        self.step = PROJECT
        self.settings = Settings()
        #: (preset, answers) as they are on disk; None when nothing was saved yet.
        self._saved: tuple[str, dict[str, Any]] | None = None
        self.last_save: SaveResult | None = None
        self._started = False

    # -- start ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.settings = self._load_settings()
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self._started = True
        self.push_screen(self._make_screen(PROJECT))
        # The CLI hands over a demo it already copied; otherwise make a copy here.
        demo_ready = (self.root / "Cargo.toml").is_file()
        self._open(demo_copy() if self.demo and not demo_ready else self.root)

    def _load_settings(self) -> Settings:
        try:
            return load_settings()
        except SettingsError as err:
            self.notify(str(err), title="Settings ignored", severity="warning", timeout=8)
            return Settings()

    def _open(self, root: Path) -> None:
        self.root = root
        self.sub_title = "demo (temporary copy)" if self.demo else shown_path(root)
        self.project, self.detect_error, self.outcome = None, "", None
        self.detect_project(root)

    @work(thread=True, exclusive=True, group="detect")
    def detect_project(self, root: Path) -> None:
        """Reads the project off the UI thread: big workspaces take a moment."""
        try:
            project = detect(root)
        except DetectError as err:
            self.call_from_thread(self._detect_failed, str(err))
        else:
            self.call_from_thread(self._detected, project)

    def _detect_failed(self, message: str) -> None:
        self.detect_error = message

    def _detected(self, project: Project) -> None:
        self.project = project
        if not self.demo:
            self._remember(project.root)
        if project.saved_answers:
            self._start(saved=True)

    def _remember(self, root: Path) -> None:
        self.settings = self.settings.with_recent(root.resolve())
        self._store_settings()

    def _store_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as err:
            self.notify(f"settings not saved: {err}", severity="warning")

    def update_settings(self, settings: Settings) -> None:
        """New user defaults (from the settings screen); they apply to the next start."""
        self.settings = settings
        self._store_settings()

    def watch_theme(self, theme: str) -> None:
        # Only a theme the user picks is remembered, not the one applied at start.
        if self._started and theme != self.settings.theme:
            self.update_settings(replace(self.settings, theme=theme))

    # -- the plan ------------------------------------------------------------------------

    @property
    def plan(self) -> Plan | None:
        return self.outcome.plan if self.outcome else None

    def _start(self, preset: str = "", *, saved: bool = False) -> None:
        project = self.project
        assert project is not None
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

    def set_plan(self, plan: Plan) -> None:
        """Swap the plan and recompute everything shown from it."""
        from rustdock.wizard.generate import outcome

        self.outcome = outcome(plan)

    @property
    def unsaved(self) -> bool:
        plan = self.plan
        return plan is not None and (plan.preset, plan.answers()) != self._saved

    # -- messages from screens and widgets -----------------------------------------------

    def on_start_requested(self, message: StartRequested) -> None:
        if self.project is None:
            return
        self._start(message.preset, saved=message.saved)
        self.go(GROUP_IDS[0])

    def on_choice_made(self, message: ChoiceMade) -> None:
        if self.plan is not None:
            self.set_plan(self.plan.with_choice(message.key, message.value))

    def on_choice_reset(self, message: ChoiceReset) -> None:
        if self.plan is not None:
            self.set_plan(self.plan.with_default(message.key))

    def on_fix_requested(self, message: FixRequested) -> None:
        if self.plan is None or not message.finding.fix_choices:
            return
        self.set_plan(self.plan.with_choices(dict(message.finding.fix_choices)))
        keys = ", ".join(f"{k} = {v}" for k, v in message.finding.fix_choices)
        self.notify(f"Applied: {keys}", title=message.finding.rule, timeout=4)

    def on_navigate(self, message: Navigate) -> None:
        self.go(message.step)

    def on_demo_requested(self, message: DemoRequested) -> None:
        self.demo = True
        self._open(demo_copy())

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
        # The files on disk changed: the next diffs compare against what was just written.
        self.set_plan(current.plan)
        self.go(DONE, result=result, saved_outcome=current)

    # -- navigation ----------------------------------------------------------------------

    def go(self, step: str, **extra: Any) -> None:
        """Show a step. Steps past the project need a plan; done needs a save."""
        if step not in STEP_IDS or step == self.step and not extra:
            return
        if step != PROJECT and self.outcome is None:
            self.notify("Pick a starting point first.", severity="warning")
            return
        if step == DONE and self.last_save is None:
            step = SAVE
        self.step = step
        self.switch_screen(self._make_screen(step, **extra))

    def _make_screen(self, step: str, result: SaveResult | None = None,
                     saved_outcome: Outcome | None = None) -> Screen:
        # Runs in the App's own message handlers, so data_bind binds to the App.
        if step == PROJECT:
            return ProjectScreen(self.outcome).data_bind(
                RustdockApp.project, RustdockApp.detect_error, RustdockApp.outcome
            )
        if step == DONE:
            assert self.last_save is not None and self.outcome is not None
            return DoneScreen(saved_outcome or self.outcome, result or self.last_save,
                              str(self.root) if self.demo else shown_path(self.root), self.demo)
        assert self.outcome is not None
        screens = {REVIEW: ReviewScreen, SAVE: SaveScreen}
        screen = screens[step](self.outcome) if step in screens else StepScreen(step, self.outcome)
        return screen.data_bind(RustdockApp.outcome)

    def action_open_settings(self) -> None:
        self.push_screen(SettingsScreen(self.settings))

    def action_goto(self, step: str) -> None:
        self.go(step)

    async def action_quit(self) -> None:
        if not self.unsaved:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            ConfirmScreen("Quit and drop the choices you have not saved?", yes="Quit", no="Stay"),
            answered,
        )


def run_app(project_root: Path, demo: bool = False) -> int:
    """Run the wizard on a project directory (or on a copy of the demo); the exit code."""
    app = RustdockApp(project_root, demo=demo)
    app.run()
    return app.return_code or 0


__all__ = ["RustdockApp", "run_app"]
