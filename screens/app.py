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
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from rustdock.wizard.detect import DetectError, detect
from rustdock.wizard.options import OptionError
from rustdock.wizard.plan import Plan, make_plan
from rustdock.wizard.plan import resolve
from rustdock.wizard.presets import preset as find_preset
from rustdock.wizard.project import Project
from rustdock.wizard.wording import choice_words, choices_words
from rustdock.wizard.settings import (
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    starting_answers,
)

from .app_saving import Saving
from .app_start import Starting
from .commands import WizardCommands
from .confirm import ConfirmScreen
from .done import DoneScreen
from .history import History
from .lock_state import LockState
from .messages import (
    ChoiceMade,
    ChoiceReset,
    DemoRequested,
    FixRequested,
    Navigate,
    StartRequested,
)
from .project import ProjectScreen
from .review import ReviewScreen
from .save import SaveScreen
from .settings_screen import SettingsScreen
from .step import StepScreen
from .steps import DONE, GROUP_IDS, PROJECT, REVIEW, SAVE, STEP_IDS, next_step, previous_step
from .phrases import fix_toast, start_question

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome
    from rustdock.wizard.import_offer import Offer
    from rustdock.wizard.save import SaveResult


def shown_path(path: Path) -> str:
    """A path as the user reads it: relative to the working directory (never a bare "."),
    or with ~."""
    path = path.resolve()
    for base, prefix in ((Path.cwd(), "."), (Path.home(), "~")):
        try:
            relative = path.relative_to(base.resolve())
        except ValueError:
            continue
        if relative == Path("."):
            continue  # "." tells nothing in a title or a `cd` line
        return f"{prefix}/{relative}"
    return str(path)


def demo_copy() -> Path:
    """A fresh temporary copy of the bundled demo project."""
    from rustdock.wizard.demo import copy_demo

    return copy_demo(Path(tempfile.mkdtemp(prefix="rustdock-demo-")))


class RustdockApp(Starting, Saving, App[None]):
    """`RustdockApp(root, demo=...).run()` is the wizard."""

    TITLE = "rustdock"
    COMMANDS = App.COMMANDS | {WizardCommands}
    CSS = """
    Screen { background: $background; }
    ModalScreen { background: $background 60%; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+z", "undo", "Undo", priority=True),
    ]

    project: reactive[Project | None] = reactive(None)
    detect_error: reactive[str] = reactive("")
    outcome: reactive[Outcome | None] = reactive(None)
    #: The offer to start from the project's own Dockerfile (None: it has none, or it
    #: has saved answers), made with the project in the same worker.
    offer: reactive[Offer | None] = reactive(None)
    #: Whether Cargo.lock is in step with the manifests, and a refresh's output.
    lockfile: reactive[LockState] = reactive(LockState)

    def __init__(self, project_root: Path, demo: bool = False) -> None:
        super().__init__()
        self.root = Path(project_root)
        self.demo = demo
        self.step = PROJECT
        self.settings = Settings()
        #: (preset, answers) as they are on disk; None when nothing was saved yet.
        self._saved: tuple[str, dict[str, Any]] | None = None
        self.last_save: SaveResult | None = None
        self.history = History()
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
        self.history = History()
        self.detect_project(root)

    @work(thread=True, exclusive=True, group="detect")
    def detect_project(self, root: Path, again: bool = False) -> None:
        """Reads the project off the UI thread: big workspaces take a moment."""
        try:
            project = detect(root)
        except DetectError as err:
            self.call_from_thread(self._detect_failed, str(err))
            return
        offer = self._offer(project)
        self.call_from_thread(self._detected_again if again else self._detected, project, offer)

    @staticmethod
    def _offer(project: Project) -> Offer | None:
        """The start from their Dockerfile; an unforeseen failure of the import only costs
        the offer (one line on the welcome screen), never the wizard."""
        from rustdock.wizard.import_offer import Offer, dockerfile_offer

        try:
            return dockerfile_offer(project)
        except Exception as err:  # noqa: BLE001 - any bug in the import must not stop the wizard
            return Offer(project.foreign_dockerfile,
                         problem=f"rustdock could not import it ({type(err).__name__}: {err}); please report it")

    def _detect_failed(self, message: str) -> None:
        self.detect_error = message

    def _detected(self, project: Project, offer: Offer | None = None) -> None:
        self.offer = offer  # before the project: the welcome screen rebuilds on that
        self.project = project
        self.title = f"rustdock · {project.name}"
        self.lockfile = LockState(project.lock_missing)
        if not self.demo:
            self._remember(project.root)
        if project.saved_answers:
            self._start(saved=True)

    def _detected_again(self, project: Project, offer: Offer | None = None) -> None:
        """The project as a save (or a lock refresh) left it: facts, plan and history move
        onto it, so the start screen and the next diffs show what is on disk now."""
        self.offer = offer
        self.project = project
        self.lockfile = self.lockfile.checked(project.lock_missing)

        def move(plan: Plan) -> Plan:
            # The marks of values from their Dockerfile stay: the review still compares.
            return resolve(project, {k: plan.choices[k] for k in plan.explicit}, plan.preset,
                           plan.from_dockerfile)

        if self.plan is not None:
            self.set_plan(move(self.plan))
            self.history.rebase(move)

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

    def set_plan(self, plan: Plan) -> None:
        """Swap the plan and recompute everything shown from it."""
        from rustdock.wizard.generate import outcome

        self.outcome = outcome(plan)

    def change_plan(self, plan: Plan, what: str) -> None:
        """A change the user made: kept in the history, so ctrl+z takes it back."""
        if self.plan is not None and plan != self.plan:
            self.history.record(self.plan, what)
        self.set_plan(plan)
        self.refresh_bindings()

    def action_undo(self) -> None:
        change = self.history.undo()
        if change is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        self.set_plan(change.before)
        self.refresh_bindings()
        self.notify(f"Undone: {change.what}.", title="Undo", timeout=4)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return bool(self.history)
        if action == "save":
            return self.plan is not None
        if action == "refresh_lock":
            from rustdock.wizard.lockfile import cargo_available

            return self.lockfile.stale and not self.lockfile.running and cargo_available()
        return True

    @property
    def unsaved(self) -> bool:
        plan = self.plan
        return plan is not None and (plan.preset, plan.answers()) != self._saved

    # -- messages from screens and widgets -----------------------------------------------

    def on_choice_made(self, message: ChoiceMade) -> None:
        if self.plan is not None:
            plan = self.plan.with_choice(message.key, message.value)
            self.change_plan(plan, choice_words(message.key, plan.choices[message.key], plan.project))

    def on_choice_reset(self, message: ChoiceReset) -> None:
        if self.plan is not None:
            plan = self.plan.with_default(message.key)
            what = choice_words(message.key, plan.choices[message.key], plan.project)
            self.change_plan(plan, f"{what} (default)")

    def on_fix_requested(self, message: FixRequested) -> None:
        from rustdock.wizard.fixes import apply_fix

        if self.plan is None or not message.finding.fix_choices:
            return
        result = apply_fix(self.plan, message.finding)
        title, text, severity = fix_toast(result, self.plan.project)
        self.change_plan(result.plan, "the fix that set " + choices_words(result.applied, result.plan.project))
        self.notify(text, title=title, severity=severity, timeout=6)

    def on_navigate(self, message: Navigate) -> None:
        step = message.step
        if message.by:
            step = next_step(self.step) if message.by > 0 else previous_step(self.step)
        self.go(step)

    def on_demo_requested(self, message: DemoRequested) -> None:
        self.demo = True
        self._open(demo_copy())

    # -- navigation ----------------------------------------------------------------------

    def go(self, step: str, **extra: Any) -> None:
        """Show a step. Steps past the project need a plan; done needs a save."""
        if step not in STEP_IDS or step == self.step and not extra:
            return
        focus = extra.pop("focus", "")
        if step == self.step and focus and isinstance(self.screen, StepScreen):
            self.screen.focus_option(focus)
            return
        if step != PROJECT and self.outcome is None:
            self.notify("Pick a starting point first.", severity="warning")
            return
        if step == DONE and self.last_save is None:
            step = SAVE
        self.step = step
        self.switch_screen(self._make_screen(step, focus=focus, **extra))

    def show_option(self, key: str) -> None:
        """Go to the step that asks an option, with its field focused (the palette's hits)."""
        from .steps import group_of

        self.go(group_of(key), focus=key)

    def _make_screen(self, step: str, result: SaveResult | None = None,
                     saved_outcome: Outcome | None = None, focus: str = "") -> Screen:
        # Runs in the App's own message handlers, so data_bind binds to the App.
        if step == PROJECT:
            return ProjectScreen(self.outcome).data_bind(
                RustdockApp.offer, RustdockApp.project, RustdockApp.detect_error, RustdockApp.outcome,
                RustdockApp.lockfile,
            )
        if step == DONE:
            assert self.last_save is not None and self.outcome is not None
            return DoneScreen(saved_outcome or self.outcome, result or self.last_save,
                              str(self.root) if self.demo else shown_path(self.root),
                              self.demo).data_bind(RustdockApp.lockfile)
        assert self.outcome is not None
        if step == REVIEW:
            screen = ReviewScreen(self.outcome, self.offer)
        elif step == SAVE:
            screen = SaveScreen(self.outcome)
        else:
            screen = StepScreen(step, self.outcome, focus=focus)
        return screen.data_bind(RustdockApp.outcome)

    def action_open_settings(self) -> None:
        self.push_screen(SettingsScreen(self.settings))

    def action_goto(self, step: str) -> None:
        self.go(step)

    def action_toggle_preview(self) -> None:
        """The palette's "Show or hide the preview": the step screens own the preview."""
        if isinstance(self.screen, StepScreen):
            self.screen.action_toggle_preview()
        else:
            self.notify("The preview is on the option steps (1 to 8).", timeout=3)

    def action_fix(self) -> None:
        screen = self.screen
        if hasattr(screen, "action_fix"):
            screen.action_fix()

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
