"""The user's own defaults (uid, runtime, comments): they apply to the next start."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from rustdock.wizard.options import OptionError, option
from rustdock.wizard.settings import Settings, settings_path

NO_PREFERENCE = "no preference"


class SettingsScreen(ModalScreen[None]):
    """Edits Settings; Save hands them to the App, which writes the file."""

    DEFAULT_CSS = """
    SettingsScreen {
        align: center middle;
        #dialog { width: 70; max-width: 95%; height: auto; padding: 1 2;
                  border: thick $accent 50%; background: $surface; }
        Label { margin: 1 0 0 0; text-style: bold; }
        #where, #theme-note { color: $text-muted; height: auto; }
        #settings-error { color: $text-error; height: auto; }
        #buttons { height: auto; margin: 1 0 0 0; align-horizontal: right; }
        Button { margin: 0 0 0 2; }
    }
    """

    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self):
        runtimes = [(v.label, v.value) for v in option("runtime").values]
        comments = {True: "on", False: "off"}
        with Vertical(id="dialog"):
            yield Static(Content.styled("My defaults for new projects", "bold $text-accent"))
            yield Static(Content(f"Kept in {settings_path()}"), id="where")
            yield Label("User id for non-root images")
            yield Input(
                "" if self.settings.uid is None else str(self.settings.uid),
                placeholder=NO_PREFERENCE,
                type="integer",
                id="uid",
            )
            yield Label("Runtime image")
            yield Select(runtimes, value=self.settings.runtime or Select.NULL,
                         prompt=NO_PREFERENCE, id="runtime")
            yield Label("Explain in comments")
            yield Select([("on", "on"), ("off", "off")],
                         value=comments.get(self.settings.comments, Select.NULL),
                         prompt=NO_PREFERENCE, id="comments")
            yield Static(Content("The theme you pick from the command palette is remembered too."),
                         id="theme-note")
            yield Static("", id="settings-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.query_one("#uid", Input).cursor_blink = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss()
            return
        try:
            settings = self.read()
        except OptionError as err:
            self.query_one("#settings-error", Static).update(Content(str(err)))
            return
        self.app.update_settings(settings)
        self.notify("Your defaults apply the next time you start from a preset.", title="Saved")
        self.dismiss()

    def read(self) -> Settings:
        """The settings the form shows. Raises OptionError for a bad uid."""
        uid_text = self.query_one("#uid", Input).value.strip()
        runtime = self.query_one("#runtime", Select).value
        comments = self.query_one("#comments", Select).value
        return replace(
            self.settings,
            uid=option("uid").parse(uid_text) if uid_text else None,
            runtime=None if runtime is Select.NULL else str(runtime),
            comments=None if comments is Select.NULL else comments == "on",
        )
