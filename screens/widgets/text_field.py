"""A one-line text input inside the wizard: letters are text, ctrl+n/ctrl+b still move on."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class TextField(Input):
    """An Input that shows ctrl+n/ctrl+b in the footer: plain n and b type themselves."""

    BINDINGS = [
        Binding("ctrl+n", "screen.next_from_field", "Next"),
        Binding("ctrl+b", "screen.back_from_field", "Back"),
    ]
