"""Done: what was written and the exact commands to build and run the image."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from rustdock.wizard.lockfile import command_text
from rustdock.wizard.needs_net import required
from rustdock.wizard.verify_plan import build_flags, image_name

from .base import WizardScreen
from .lock_state import LockState
from .widgets.lock_notice import LockNotice
from .widgets.verify_panel import VerifyPanel

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome
    from rustdock.wizard.save import SaveResult


def next_commands(outcome: Outcome) -> list[str]:
    """The commands to build and run the image the saved Dockerfile describes."""
    plan = outcome.plan
    name = image_name(plan)
    flags = " ".join(build_flags(outcome.rendered.dockerfile, plan))
    flags = f" {flags}" if flags else ""
    platforms = ",".join(f"linux/{arch}" for arch in str(plan.platforms).split(","))
    if "," in str(plan.platforms):
        commands = [f"docker buildx build --platform {platforms}{flags} -t {name} ."]
    elif plan.platforms != "amd64":
        commands = [f"docker build --platform {platforms}{flags} -t {name} ."]
    else:
        commands = [f"docker build{flags} -t {name} ."]
    published = "".join(f" -p {spec.split('/')[0]}:{spec}" for spec in plan.ports)
    commands.append(f"docker run --rm{published} {name}")
    return commands


def backups_line(backups: tuple[str, ...]) -> str:
    """Which files were backed up, and where; one line without the save's time stamp."""
    parts = [PurePosixPath(b).parts for b in backups]
    # save() keeps each save's backups in .rustdock/backup/<time stamp>/<path>.
    if all(len(p) > 3 and p[:2] == (".rustdock", "backup") for p in parts):
        names = ", ".join("/".join(p[3:]) for p in parts)
        return f"Backed up first, in .rustdock/backup/<time of this save>/: {names}"
    return "Backed up first: " + ", ".join(backups)


class DoneScreen(WizardScreen):
    """The files written and the commands to run next."""

    DEFAULT_CSS = """
    DoneScreen {
        #commands { height: auto; padding: 1 2; margin: 1 0; background: $boost; border: round $success 50%; }
        #written { height: auto; }
        #note, #demo-note, #verify-note { height: auto; color: $text-muted; }
        #settings { height: auto; color: $warning; }
    }
    """

    BINDINGS = [
        Binding("n,ctrl+n", "next", "Quit"),
        Binding("r", "app.refresh_lock", "Refresh Cargo.lock"),
        Binding("v", "verify", "Build and verify"),
    ]

    step = "done"
    lockfile: reactive[LockState] = reactive(LockState)

    def heading(self) -> str:
        return "Saved. Build and run it"

    def __init__(self, outcome: Outcome, result: SaveResult, shown_root: str, demo: bool = False) -> None:
        super().__init__(outcome)
        self.result = result
        self.shown_root = shown_root
        self.demo = demo

    def body(self):
        assert self.outcome is not None
        written = ", ".join(self.result.written) or "nothing (the files were already up to date)"
        with VerticalScroll(id="body"):
            yield Static(Content.assemble(("Written in ", "bold"), self.shown_root, ": ", written), id="written")
            if self.result.backups:
                yield Static(Content(backups_line(self.result.backups)), id="backups")
            missing = required(self.outcome.plan)
            if missing:
                yield Static(Content("The program stops without these settings; pass them with "
                                     "docker run -e: " + ", ".join(f"{s.name} ({s.where})" for s in missing)),
                             id="settings")
            commands = Static(self._commands(), id="commands")
            commands.border_title = f"cd {self.shown_root}, then"
            yield commands
            yield LockNotice(id="lock").data_bind(DoneScreen.lockfile)
            if self.demo:
                yield Static(Content("This is a temporary copy of the demo: look around before "
                                     "you quit, it is not kept."), id="demo-note")
            yield Static(
                Content("Run rustdock here again to tweak these answers (rustdock.toml), or "
                        "`rustdock generate --write` to write the files again without the wizard."),
                id="note",
            )
            yield Static(
                Content("Press v to build the image here and check it: it starts, runs as its "
                        "user, answers on its ports, passes its healthcheck and stops quickly "
                        "(`rustdock verify`)."),
                id="verify-note",
            )

    def _commands(self) -> Content:
        assert self.outcome is not None
        commands = next_commands(self.outcome)
        if self.lockfile.stale:
            # Until Cargo.lock is refreshed the image's `cargo build --locked` stops.
            commands.insert(0, f"{command_text()}    # Cargo.lock lacks {', '.join(self.lockfile.missing)}")
        return Content("\n".join(commands))

    def watch_lockfile(self) -> None:
        if self.is_mounted:
            self.query_one("#commands", Static).update(self._commands())
            self.refresh_bindings()

    def action_next(self) -> None:
        self.app.exit()

    def action_verify(self) -> None:
        """Build and verify the saved files; again from the start if it ran before."""
        assert self.outcome is not None
        body = self.query_one("#body", VerticalScroll)
        for panel in self.query(VerifyPanel):
            if panel.running:
                return
            panel.remove()
        panel = VerifyPanel(self.outcome.plan.project.root, id="verify")
        body.mount(panel)
        body.scroll_end(animate=False)
