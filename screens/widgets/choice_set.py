"""The values of one choice as a list of radio lines, drawn from the plan and nothing else.

The chosen mark comes only from `show_chosen` (the App calls it with the plan's value), never
from the keys pressed: Enter asks for a value and the plan answers, so the marks and the plan
cannot disagree however fast keys arrive. The cursor starts on the chosen value.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option as ListOption

from rustdock.wizard.options import Value

CHOSEN, OTHER = "◉", "○"


#: Beside the value the project's own Dockerfile has (words, not only a colour).
THEIRS = "◆ your Dockerfile"


def prompt(value: Value, chosen: bool, theirs: bool = False) -> Content:
    """One value's line: a radio mark, its label (bold when chosen), the size it adds,
    and the mark of the value their Dockerfile has."""
    mark = (f"{CHOSEN} ", "bold $text-accent") if chosen else (f"{OTHER} ", "$text-muted")
    label = (value.label, "bold") if chosen else value.label
    size = ("  " + value.size, "$text-muted") if value.size else ""
    origin = ("  " + THEIRS, "italic $text-accent") if theirs else ""
    return Content.assemble(mark, label, size, origin)


class ChoiceSet(OptionList):
    """One line per allowed value; Enter, Space or a click chooses the value under the cursor."""

    DEFAULT_CSS = """
    ChoiceSet {
        width: 1fr;
        height: auto;
        max-height: 100%;
        border: none;
        padding: 0;
        background: transparent;
        & > .option-list--option { padding: 0 0 0 2; }
        & > .option-list--option-highlighted { background: transparent; text-style: none; }
        &:focus {
            border: none;
            background-tint: $foreground 4%;
            & > .option-list--option-highlighted {
                background: $block-cursor-background 35%;
                color: $foreground;
                text-style: none;
            }
        }
    }
    """

    BINDINGS = [Binding("space", "select", "Choose", show=False)]

    class Chosen(Message):
        """The user asked for a value (Enter, Space or a click)."""

        def __init__(self, choice_set: ChoiceSet, value: str) -> None:
            super().__init__()
            self.choice_set = choice_set
            self.value = value

    class Looked(Message):
        """The cursor moved onto a value."""

        def __init__(self, choice_set: ChoiceSet, value: str) -> None:
            super().__init__()
            self.choice_set = choice_set
            self.value = value

    def __init__(self, values: tuple[Value, ...], chosen: str, theirs: str | None = None, **kwargs) -> None:
        self.choices = values
        self.values = tuple(v.value for v in values)
        self.chosen = chosen if chosen in self.values else ""
        #: The value their Dockerfile has ("" when it says none).
        self.theirs = theirs if theirs in self.values else ""
        options = [ListOption(prompt(v, v.value == self.chosen, v.value == self.theirs), id=v.value)
                   for v in values]
        super().__init__(*options, markup=False, **kwargs)
        if self.chosen:
            self.highlighted = self.values.index(self.chosen)

    @property
    def cursor_value(self) -> str | None:
        """The value under the cursor."""
        return self.values[self.highlighted] if self.highlighted is not None else None

    def show_chosen(self, value: str, theirs: str | None = None) -> None:
        """Mark the plan's value (and their Dockerfile's); the cursor follows the plan's
        value unless the user is here."""
        theirs = theirs if theirs in self.values else ""
        if (value == self.chosen or value not in self.values) and theirs == self.theirs:
            return
        old = (self.chosen, self.theirs)
        if value in self.values:
            self.chosen = value
        self.theirs = theirs
        for changed in {*old, self.chosen, theirs} - {""}:
            index = self.values.index(changed)
            self.replace_option_prompt_at_index(
                index, prompt(self.choices[index], changed == self.chosen, changed == theirs))
        if not self.has_focus and value in self.values and value != old[0]:
            self.highlighted = self.values.index(value)

    def action_select(self) -> None:
        value = self.cursor_value
        if value is not None:
            self.post_message(self.Chosen(self, value))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        # Only the user's cursor describes a value, not the start of each list.
        if highlighted is not None and self.has_focus:
            self.post_message(self.Looked(self, self.values[highlighted]))
