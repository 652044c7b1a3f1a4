"""One step per option group: the group's fields, the guidance pane and the live preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from .base import WizardScreen
from .messages import ChoiceReset
from .steps import GROUP_IDS, LABELS, concerns, options_of
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
        #left { width: 1fr; height: 1fr; }
        #fields { height: 1fr; scrollbar-size-vertical: 1; }
        #elsewhere { height: auto; color: $text-error; }
        #elsewhere.-empty { display: none; }
        DockerfilePreview { width: 1fr; }
        &.-wide DockerfilePreview { width: 1.3fr; }
        &.-hide-preview DockerfilePreview { display: none; }
        &.-narrow DockerfilePreview { display: none; }
        &.-narrow #work { layout: vertical; }
        &.-narrow.-show-preview DockerfilePreview { display: block; width: 1fr; height: 45%; }
        &.-narrow Guidance { max-height: 6; }
        &.-narrow.-show-preview Guidance { display: none; }
        &.-medium Guidance { max-height: 9; }
    }
    """

    BINDINGS = [
        Binding("p", "toggle_preview", "Preview"),
        Binding("d", "reset_default", "Default", show=False),
    ]

    def __init__(self, group: str, outcome: Outcome) -> None:
        self.step = group
        super().__init__(outcome)

    def body(self):
        assert self.outcome is not None
        number = GROUP_IDS.index(self.step) + 1
        with Horizontal(id="work"):
            with Vertical(id="left"):
                yield Static(
                    Content(f"Step {number} of {len(GROUP_IDS)} · {LABELS[self.step]}"),
                    classes="step-title",
                )
                with VerticalScroll(id="fields"):
                    for opt in options_of(self.step):
                        yield OptionField(opt, self.outcome).data_bind(WizardScreen.outcome)
                yield Static("", id="elsewhere", markup=False)
                yield Guidance(id="guidance")
            yield DockerfilePreview(id="preview").data_bind(WizardScreen.outcome)

    def on_mount(self) -> None:
        first = next((f for f in self.query(OptionField) if f.display), None)
        if first is not None:
            self.call_after_refresh(self._focus_field, first)
        self._show_elsewhere()

    def _focus_field(self, field: OptionField) -> None:
        control = field.query_one(f"#control-{field.opt.key}")
        control.focus()

    def watch_outcome(self) -> None:
        super().watch_outcome()
        if self.is_mounted:
            self._show_elsewhere()

    def _show_elsewhere(self) -> None:
        """Errors on other steps, so a fix here that breaks something there is seen."""
        if self.outcome is None:
            return
        others = [f for f in self.outcome.errors if not concerns(self.step, f)]
        text = ""
        if others:
            first = others[0]
            more = f" (+{len(others) - 1} more)" if len(others) > 1 else ""
            text = f"✖ {first.option}: {first.message}{more}"
        elsewhere = self.query_one("#elsewhere", Static)
        elsewhere.update(Content(text))
        elsewhere.set_class(not text, "-empty")

    def on_option_field_described(self, event: OptionField.Described) -> None:
        event.stop()
        assert self.outcome is not None
        self.query_one(Guidance).explain(event.field.opt, event.value, self.outcome.plan.project)

    def action_toggle_preview(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("-show-preview")
        else:
            self.toggle_class("-hide-preview")

    def action_reset_default(self) -> None:
        field = next((f for f in self.query(OptionField) if f.has_focus_within), None)
        if field is not None:
            self.post_message(ChoiceReset(field.opt.key))
