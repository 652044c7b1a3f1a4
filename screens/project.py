"""The first screen: what rustdock found in the project, and where to start from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option as ListOption

from rustdock.wizard.meta import ANSWERS_FILE
from rustdock.wizard.presets import PRESETS
from rustdock.wizard.project import Project

if TYPE_CHECKING:
    from rustdock.wizard.import_offer import Offer

from .base import WizardScreen
from .lock_state import LockState
from .messages import DemoRequested, StartRequested
from .widgets.lock_notice import LockNotice
from .widgets.project_facts import ProjectFacts
from .widgets.rebuildable import Rebuildable

SAVED = "saved"
DEFAULTS = "defaults"
DOCKERFILE = "dockerfile"


def start_options(project: Project, offer: Offer | None = None) -> list[ListOption | None]:
    """The starting points: the saved answers (when there are some), their own Dockerfile
    (when rustdock did not write it), presets, plain defaults ("Start fresh" beside a
    Dockerfile)."""
    options: list[ListOption | None] = []
    if project.saved_answers:
        preset = project.saved_answers.get("preset") or "no preset"
        count = len(project.saved_answers.get("answers", {}))
        options.append(
            _option(SAVED, f"Tweak your saved answers ({ANSWERS_FILE})", f"{count} choices, from {preset}")
        )
    if offer is not None:
        options.append(_dockerfile_option(offer))
        options.append(None)
    for preset in PRESETS:
        options.append(_option(f"preset:{preset.name}", preset.label, preset.help))
        options.append(None)
    if offer is not None:
        options.append(_option(DEFAULTS, "Start fresh", f"Leave {offer.path} aside: every choice "
                               "starts at what rustdock reads from Cargo.toml and friends."))
    else:
        options.append(
            _option(DEFAULTS, "Derived from the project", "No preset: every choice starts at "
                    "what rustdock reads from Cargo.toml and friends.")
        )
    return options


def _dockerfile_option(offer: Offer) -> ListOption:
    """Start from their Dockerfile, with what `rustdock check` finds in it; a file the
    parser rejects is shown, with why, but cannot be chosen."""
    if offer.start is None:
        return ListOption(Content.assemble(("Start from your Dockerfile", "bold"), "\n",
                                           ("✖ " + offer.detail(), "$text-error")),
                          id=DOCKERFILE, disabled=True)
    return _option(DOCKERFILE, "Start from your Dockerfile", offer.detail())


def _option(option_id: str, label: str, help: str) -> ListOption:
    return ListOption(Content.assemble((label, "bold"), "\n", (help, "$text-muted")), id=option_id)


class ProjectScreen(WizardScreen):
    """Detected facts on the left, starting points on the right."""

    DEFAULT_CSS = """
    ProjectScreen {
        #columns { height: 1fr; }
        #facts-column { width: 1fr; height: 1fr; scrollbar-size-vertical: 1; }
        #start-column { width: 1fr; height: 1fr; padding: 0 0 0 1; }
        #starts { height: 1fr; border: round $foreground 30%; border-title-color: $text-accent; }
        #starts:focus { border: round $accent; }
        #problem { height: auto; padding: 1 2; border: thick $error 50%; }
        #problem-buttons { height: auto; margin: 1 0 0 0; }
        #problem-buttons Button { margin: 0 2 0 0; }
        #start-error { color: $text-error; height: auto; }
        &.-narrow #columns { layout: vertical; }
        &.-narrow #facts-column { height: auto; max-height: 45%; }
        &.-narrow #start-column { padding: 0; }
    }
    """

    BINDINGS = [
        Binding("n,ctrl+n", "next", "Start"),
        Binding("r", "app.refresh_lock", "Refresh Cargo.lock"),
    ]

    step = "project"
    offer: reactive[Offer | None] = reactive(None)
    project: reactive[Project | None] = reactive(None)
    detect_error: reactive[str] = reactive("")
    start_error: reactive[str] = reactive("")
    lockfile: reactive[LockState] = reactive(LockState)

    def body(self):
        yield Rebuildable(self._contents, id="body")

    def _contents(self):
        if self.detect_error:
            yield from self._problem()
        elif self.project is None:
            yield Static(Content("Reading Cargo.toml…"))
            yield LoadingIndicator()
        else:
            yield from self._project(self.project)

    def _problem(self):
        with Vertical(id="problem"):
            yield Static(Content.assemble(("Not a Rust project rustdock can read", "bold $text-error")))
            yield Static(Content(self.detect_error), id="detect-error")
            yield Static(
                Content("Run rustdock in a directory with a Cargo.toml, or try the bundled demo "
                        "(a temporary copy: nothing of yours is touched).")
            )
            with Horizontal(id="problem-buttons"):
                yield Button("Open the demo", id="demo", variant="primary")
                yield Button("Quit", id="quit")

    def _project(self, project: Project):
        with Horizontal(id="columns"):
            with VerticalScroll(id="facts-column"):
                yield ProjectFacts(project, self.offer)
                yield LockNotice(self.lockfile, id="lock")
            with Vertical(id="start-column"):
                starts = OptionList(*start_options(project, self.offer), id="starts")
                starts.border_title = "Start from"
                yield starts
                yield Static(Content(self.start_error), id="start-error")

    def on_mount(self) -> None:
        self._focus_first()

    def _focus_first(self) -> None:
        for selector in ("#starts", "#demo"):
            found = self.query(selector)
            if found:
                found.first().focus()
                break
        offer = self.offer
        if offer is not None and offer.start is None and self.query("#starts"):
            # Their Dockerfile cannot be read: the cursor waits on "Start fresh".
            starts = self.query_one("#starts", OptionList)
            starts.highlighted = starts.get_option_index(DEFAULTS)

    async def watch_project(self) -> None:
        await self._rebuild()

    async def watch_detect_error(self) -> None:
        await self._rebuild()

    def heading(self) -> str:
        if self.detect_error:
            return "Not a Rust project rustdock can read"
        return f"Containerize {self.project.name}" if self.project else "Reading the project…"

    async def _rebuild(self) -> None:
        if self.is_mounted:
            self.query_one("#title", Static).update(Content(self.heading()))
            await self.query_one("#body", Rebuildable).rebuild()
            self._focus_first()

    def watch_lockfile(self, lock: LockState) -> None:
        if self.is_mounted:
            for notice in self.query(LockNotice):
                notice.lockfile = lock
            self.refresh_bindings()

    def watch_start_error(self, text: str) -> None:
        for widget in self.query("#start-error"):
            widget.update(Content(text))

    def action_next(self) -> None:
        starts = self.query("#starts")
        if starts:
            option_list = starts.first(OptionList)
            index = option_list.highlighted or 0
            self._start(option_list.get_option_at_index(index).id or DEFAULTS)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "starts":
            event.stop()
            self._start(event.option_id or DEFAULTS)

    def _start(self, option_id: str) -> None:
        if option_id == SAVED:
            self.post_message(StartRequested(saved=True))
        elif option_id == DOCKERFILE:
            self.post_message(StartRequested(dockerfile=True))
        else:
            self.post_message(StartRequested(option_id.removeprefix("preset:").removeprefix(DEFAULTS)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "demo":
            self.post_message(DemoRequested())
        elif event.button.id == "quit":
            self.app.exit()
