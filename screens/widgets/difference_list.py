"""The differences between their Dockerfile and the new one, numbered like the marks in
the files: what theirs said, what the new one does, and why (a finding or the option's
help); then the lines that became no choice, each with what happened to it."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from typing import TYPE_CHECKING

from rustdock.wizard.import_words import WRITTEN
from rustdock.wizard.options import OPTIONS_BY_KEY

if TYPE_CHECKING:
    from rustdock.wizard.import_review import Difference


def difference_text(number: int, difference: Difference) -> Content:
    where = f"line {difference.line}" if difference.line else "not in your file"
    if difference.ours == WRITTEN:
        head = f"{difference.theirs} (check): fixed in the new file"
    elif not difference.key:
        head = f"{difference.ours}: {difference.theirs}"
    else:
        label = OPTIONS_BY_KEY[difference.key].label if difference.key in OPTIONS_BY_KEY else difference.key
        head = f"{label}: {difference.theirs} → {difference.ours}"
    return Content.assemble((f"[{number}] ", "bold $text-warning"), (f"{where} · ", "$text-muted"),
                            (head, "bold"), "\n", (difference.why, "$text-muted"))


class DifferenceList(VerticalScroll):
    """One entry per difference, in the order of the numbers."""

    DEFAULT_CSS = """
    DifferenceList {
        height: 2fr;
        border: round $foreground 30%;
        border-title-color: $text-accent;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        &:focus { border: round $accent; }
        .difference { margin: 0 0 1 0; }
    }
    """

    def __init__(self, found: tuple[Difference, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.found = found
        count = len(found)
        self.border_title = f"{count} difference{'s' * (count != 1)}, each with its reason"

    def compose(self):
        for number, difference in enumerate(self.found, 1):
            yield Static(difference_text(number, difference), classes="difference")
        if not self.found:
            yield Static(Content("None: the new Dockerfile makes the same choices as yours."))
