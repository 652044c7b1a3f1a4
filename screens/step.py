"""One step per option group: the group's fields, the guidance pane and the live preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static

from rustdock.wizard.wording import in_words, where

from .base import WizardScreen
from .messages import ChoiceReset
from .steps import concerns, options_of
from .widgets.choice_set import ChoiceSet
from .widgets.guidance import Guidance
from .widgets.option_field import OptionField
from .widgets.preview import DockerfilePreview

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome


class StepScreen(WizardScreen):
    """Asks the options of one group."""

    DEFAULT_CSS = """
    StepScreen {
        #work { width: 1fr; height: 1fr; }
        #left { width: 1fr; min-width: 40; height: 1fr; }
        #fields { height: 1fr; scrollbar-size-vertical: 1; }
        #elsewhere { height: auto; color: $text-error; }
        #elsewhere.-empty { display: none; }
        DockerfilePreview { width: 1fr; }
        &.-medium DockerfilePreview, &.-wide DockerfilePreview { width: 1.4fr; }
        &.-hide-preview DockerfilePreview { display: none; }
        &.-narrow DockerfilePreview { display: none; }
        &.-narrow #work { layout: vertical; }
        &.-narrow #left { min-width: 0; }
        &.-narrow.-show-preview DockerfilePreview { display: block; width: 1fr; height: 45%; }
        &.-narrow Guidance { max-height: 30%; }
        &.-narrow.-show-preview Guidance { display: none; }
    }
    """

    BINDINGS = [
        Binding("p", "toggle_preview", "Preview"),
        Binding("d", "reset_default", "Default", show=False),
    ]

    def __init__(self, group: str, outcome: Outcome, focus: str = "") -> None:
        self.step = group
        super().__init__(outcome)
        self._described: tuple[OptionField, object] | None = None
        #: The option to start on (from the palette), "" for the first field.
        self._focus_key = focus

    def body(self):
        assert self.outcome is not None
        with Horizontal(id="work"):
            with Vertical(id="left"):
                with VerticalScroll(id="fields"):
                    for opt in options_of(self.step):
                        yield OptionField(opt, self.outcome).data_bind(WizardScreen.outcome)
                yield Static("", id="elsewhere", markup=False)
                yield Guidance(id="guidance")
            yield DockerfilePreview(id="preview").data_bind(WizardScreen.outcome)

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_start)
        self._show_elsewhere()

    def focus_option(self, key: str) -> None:
        """Focus an option's control and bring it into view."""
        for field in self.query(OptionField):
            if field.opt.key == key:
                if not field.display:
                    self.notify(f"“{field.opt.label}” does not apply with the other choices made "
                                "on this step, so it is hidden.", timeout=5)
                    return
                control = field.query_one(f"#control-{key}")
                control.focus()
                self.call_after_refresh(field.scroll_visible, animate=False)

    def _focus_start(self) -> None:
        """The first field, unless it is a text field: the step does not start typing."""
        if self._focus_key:
            self.focus_option(self._focus_key)
            return
        first = next((f for f in self.query(OptionField) if f.display), None)
        if first is None:
            return
        control = first.query_one(f"#control-{first.opt.key}")
        if isinstance(control, Input):
            self.query_one("#fields", VerticalScroll).focus()
            first.post_message(OptionField.Described(first, first.value))
        else:
            control.focus()

    def watch_outcome(self) -> None:
        super().watch_outcome()
        if self.is_mounted:
            self._show_elsewhere()
            if self._described is not None:
                field, looked = self._described
                self._explain(field, looked)

    def _show_elsewhere(self) -> None:
        """Errors on other steps, so a fix here that breaks something there is seen."""
        if self.outcome is None:
            return
        others = [f for f in self.outcome.errors if not concerns(self.step, f)]
        text = ""
        if others:
            first = others[0]
            more = f" (+{len(others) - 1} more)" if len(others) > 1 else ""
            text = f"✖ {where(first.option)}: {in_words(first.message)}{more}"
        elsewhere = self.query_one("#elsewhere", Static)
        elsewhere.update(Content(text))
        elsewhere.set_class(not text, "-empty")

    def on_option_field_described(self, event: OptionField.Described) -> None:
        event.stop()
        self._explain(event.field, event.value)

    def _explain(self, field: OptionField, looked: object) -> None:
        assert self.outcome is not None
        self._described = (field, looked)
        control = field.query(ChoiceSet)
        looking = looked if control and control.first().has_focus else None
        self.query_one(Guidance).explain(field.opt, field.value, self.outcome.plan.project, looking)

    def action_toggle_preview(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("-show-preview")
        else:
            self.toggle_class("-hide-preview")

    def action_reset_default(self) -> None:
        field = next((f for f in self.query(OptionField) if f.has_focus_within), None)
        if field is not None:
            self.post_message(ChoiceReset(field.opt.key))
