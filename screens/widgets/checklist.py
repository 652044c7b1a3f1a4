"""A checklist for list options whose values come from the project (cargo features):
one checkbox per value, with what it turns on beside its name."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from rustdock.wizard.options import Value


class Checklist(SelectionList[str]):
    """Ticks the values of a list; posts Changed with the ticked ones, in list order."""

    DEFAULT_CSS = """
    Checklist { width: 1fr; height: auto; max-height: 12; border: none; padding: 0;
                background: transparent; }
    Checklist:focus { border: none; background-tint: $foreground 4%; }
    """

    class Changed(Message):
        def __init__(self, checklist: Checklist, chosen: tuple[str, ...]) -> None:
            super().__init__()
            self.checklist = checklist
            self.chosen = chosen

    def __init__(self, values: tuple[Value, ...], chosen: Iterable[str], **kwargs) -> None:
        self.order = tuple(v.value for v in values)
        picked = set(chosen)
        super().__init__(
            *(Selection(_label(v), v.value, v.value in picked) for v in values), **kwargs
        )

    def tick(self, chosen: Iterable[str]) -> None:
        """Show `chosen` as ticked without posting Changed (the plan already has it)."""
        wanted = set(chosen)
        if wanted == set(self.selected):
            return
        with self.prevent(SelectionList.SelectedChanged):
            self.deselect_all()
            for value in self.order:
                if value in wanted:
                    self.select(value)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        ticked = set(self.selected)
        self.post_message(self.Changed(self, tuple(v for v in self.order if v in ticked)))


def _label(value: Value) -> Content:
    return Content.assemble(value.label, ("  " + value.help, "$text-muted"))
