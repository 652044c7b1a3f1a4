"""A RadioSet that also says which value the keyboard cursor is on (for the guidance pane)."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import RadioButton, RadioSet

from rustdock.wizard.options import Value


class ChoiceSet(RadioSet):
    """One radio button per allowed value of a choice option."""

    DEFAULT_CSS = """
    ChoiceSet { width: 1fr; height: auto; border: none; padding: 0; background: transparent; }
    ChoiceSet:focus { border: none; background-tint: $foreground 4%; }
    """

    class Highlighted(Message):
        """The cursor moved onto a value."""

        def __init__(self, choice_set: ChoiceSet, value: str) -> None:
            super().__init__()
            self.choice_set = choice_set
            self.value = value

    def __init__(self, values: tuple[Value, ...], current: str, **kwargs) -> None:
        self.values = tuple(v.value for v in values)
        buttons = [
            RadioButton(_label(v), value=v.value == current, name=v.value) for v in values
        ]
        super().__init__(*buttons, **kwargs)

    @property
    def highlighted_value(self) -> str | None:
        return self.values[self._selected] if self._selected is not None else None

    def on_mount(self) -> None:
        # RadioSet starts its cursor on the first button; start it on the chosen one.
        if self.pressed_index >= 0:
            self._selected = self.pressed_index

    def select(self, value: str) -> None:
        """Press the button of a value (no-op when it is already pressed)."""
        if value in self.values:
            button = self.query(RadioButton)[self.values.index(value)]
            if not button.value:
                button.value = True

    def watch__selected(self) -> None:
        super().watch__selected()
        # Only the user's cursor describes a value, not the initial selection of each set.
        if self.highlighted_value is not None and self.has_focus:
            self.post_message(self.Highlighted(self, self.highlighted_value))


def _label(value: Value) -> Content:
    if not value.size:
        return Content(value.label)
    return Content.assemble(value.label, ("  ·  " + value.size, "$text-muted"))
