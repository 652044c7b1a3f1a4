"""One option of the table as a form field: the right control for its kind, kept in sync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantFocus
from textual.message import Message
from textual.reactive import reactive
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Static, Switch

from rustdock.wizard.findings import Finding
from rustdock.wizard.options import Option, OptionError
from rustdock.wizard.project import Project

from ..messages import ChoiceMade
from ..steps import first_fix
from .checklist import Checklist
from .choice_set import ChoiceSet
from .finding_note import FieldFindings
from .origin_mark import field_origin
from .text_field import TextField

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome


class OptionValidator(Validator):
    """Checks an Input's text with the option's own parser, message included."""

    def __init__(self, opt: Option, project: Project) -> None:
        super().__init__()
        self.opt = opt
        self.project = project

    def validate(self, value: str) -> ValidationResult:
        try:
            self.opt.parse(value, self.project)
        except OptionError as err:
            return self.failure(in_plain_words(self.opt, str(err)))
        return self.success()


def in_plain_words(opt: Option, message: str) -> str:
    """An OptionError's message with the option's label where the command line names its key."""
    return opt.label + message[len(opt.key):] if message.startswith(opt.key) else message


def as_text(opt: Option, value: Any) -> str:
    """A value as an Input shows it."""
    if opt.kind == "list":
        return ", ".join(value)
    return str(value)


class OptionField(Vertical):
    """Label, control and findings for one option; shown only while the option is relevant."""

    DEFAULT_CSS = """
    OptionField {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border-left: outer $foreground 20%;
        &:focus-within { border-left: outer $accent; }
        &.-has-error { border-left: outer $error; }
        .field-label { text-style: bold; width: 1fr; }
        .field-origin { color: $text-muted; width: auto; }
        .field-origin.-from-dockerfile { color: $text-accent; }
        /* A mark from their Dockerfile is long: the label keeps its width, the mark wraps. */
        &.-marked .field-label { width: auto; }
        &.-marked .field-origin { width: 1fr; text-align: right; padding: 0 0 0 1; }
        .field-error { color: $text-error; display: none; }
        Horizontal { height: auto; }
        Switch { margin: 0; }
        .switch-text { width: 1fr; padding: 1 1 0 1; color: $text-muted; }
        Input { width: 1fr; }
    }
    """

    outcome: reactive[Outcome | None] = reactive(None)

    class Described(Message):
        """The user is looking at this option (and possibly one of its values)."""

        def __init__(self, field: OptionField, value: Any) -> None:
            super().__init__()
            self.field = field
            self.value = value

    def __init__(self, opt: Option, outcome: Outcome) -> None:
        super().__init__(id=f"field-{opt.key}", classes="option-field")
        self.opt = opt
        self.set_reactive(OptionField.outcome, outcome)

    @property
    def value(self) -> Any:
        """The option's value in the current plan."""
        assert self.outcome is not None
        return self.outcome.plan.choices[self.opt.key]

    @property
    def project(self) -> Project:
        assert self.outcome is not None
        return self.outcome.plan.project

    def compose(self):
        with Horizontal():
            yield Label(self.opt.label, classes="field-label")
            yield Label("", classes="field-origin")
        yield from self._control()
        yield Static("", classes="field-error", markup=False)
        yield FieldFindings(classes="field-findings")

    def _control(self):
        opt, value = self.opt, self.value
        if opt.kind == "choice":
            theirs = self.outcome.plan.from_dockerfile.get(opt.key, (None,))[0]
            yield ChoiceSet(opt.allowed(self.project), value, theirs, id=f"control-{opt.key}")
        elif opt.kind == "list" and opt.dynamic_values is not None:
            # Values the project offers (cargo features): tick them; names it lacks (an
            # answers file from another version) stay in the plan for the rules to name.
            yield Checklist(opt.allowed(self.project), value, id=f"control-{opt.key}")
        elif opt.kind == "bool":
            with Horizontal():
                yield Switch(value=value, id=f"control-{opt.key}")
                yield Label(self._switch_text(value), classes="switch-text")
        else:
            yield TextField(
                as_text(opt, value),
                id=f"control-{opt.key}",
                type="integer" if opt.kind == "int" else "text",
                validators=[OptionValidator(opt, self.project)],
                validate_on=["changed", "submitted"],
                placeholder=opt.expects or opt.label,
                compact=True,
            )

    def on_mount(self) -> None:
        if self.app.is_headless:
            # Snapshots and screenshots must not depend on where the blink cycle is.
            for control in self.query(Input):
                control.cursor_blink = False
        self._sync(self.outcome)

    def watch_outcome(self, outcome: Outcome | None) -> None:
        if self.is_mounted:
            self._sync(outcome)

    def _sync(self, outcome: Outcome | None) -> None:
        """Show the plan's value, relevance and findings without posting a change."""
        if outcome is None:
            return
        plan = outcome.plan
        self.display = self.opt.relevant(plan.project, plan.choices)
        explicit = self.opt.key in plan.explicit
        marked = field_origin(self.opt.key, plan, lambda v: as_text(self.opt, v) or "nothing")
        origin = self.query_one(".field-origin", Label)
        preset_label = "preset" if plan.from_preset(self.opt.key) else ""
        origin.update(marked or preset_label or ("your choice" if explicit else "default"))
        origin.set_class(marked is not None, "-from-dockerfile")
        self.set_class(marked is not None, "-marked")
        value = self.value
        control = self.query_one(f"#control-{self.opt.key}")
        if isinstance(control, ChoiceSet):
            control.show_chosen(value, plan.from_dockerfile.get(self.opt.key, (None,))[0])
        elif isinstance(control, Checklist):
            control.tick(value)
        elif isinstance(control, Switch):
            if control.value != value:
                control.value = value
            self.query_one(".switch-text", Label).update(self._switch_text(value))
        elif isinstance(control, Input) and not control.has_focus:
            # While the user types, their text leads: a plan from a few keys ago must not
            # overwrite it (each valid keystroke posts its own change).
            if self._parsed(control.value) != value:
                control.value = as_text(self.opt, value)
        self.query_one(FieldFindings).show(self.findings(outcome), first_fix(outcome, self.opt.group),
                                           plan.project)
        self.set_class(any(f.is_error for f in self.findings(outcome)), "-has-error")

    def _switch_text(self, value: bool) -> Content:
        """On or off in words (not only the switch's colour), then what it does."""
        what = self.opt.help.split(". ")[0].rstrip(".") + "."
        return Content.assemble(("on" if value else "off", "bold"), " · ", what)

    def findings(self, outcome: Outcome | None = None) -> tuple[Finding, ...]:
        outcome = outcome or self.outcome
        if outcome is None:
            return ()
        return tuple(f for f in outcome.findings if f.option == self.opt.key)

    def _parsed(self, text: str) -> Any:
        try:
            return self.opt.parse(text, self.project)
        except OptionError:
            return None

    def _offer(self, value: Any) -> None:
        if value != self.value:
            self.post_message(ChoiceMade(self.opt.key, value))

    def on_choice_set_chosen(self, event: ChoiceSet.Chosen) -> None:
        event.stop()
        self._offer(event.value)

    def on_choice_set_looked(self, event: ChoiceSet.Looked) -> None:
        event.stop()
        self.post_message(self.Described(self, event.value))

    def on_option_list_option_highlighted(self, event) -> None:
        event.stop()  # ChoiceSet says it as Looked

    def on_checklist_changed(self, event: Checklist.Changed) -> None:
        event.stop()
        offered = set(event.checklist.order)
        kept = tuple(v for v in self.value if v not in offered)
        self._offer(event.chosen + kept)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self._offer(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        error = self.query_one(".field-error", Static)
        result = event.validation_result
        invalid = result is not None and not result.is_valid
        error.display = invalid
        if invalid:
            error.update(Content(" ".join(result.failure_descriptions)))
            return
        self._offer(self.opt.parse(event.value, self.project))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        control = event.widget
        value = control.cursor_value if isinstance(control, ChoiceSet) else self.value
        self.post_message(self.Described(self, value))
