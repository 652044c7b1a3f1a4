"""A file's unified diff, highlighted, in a scrollable pane."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.widgets import Static

from rustdock.wizard.changes import FileChange


def diff_content(change: FileChange) -> Content:
    diff = change.diff()
    if not diff:
        return Content.styled(f"{change.path}: no change", "$text-muted")
    return highlight(diff, language="diff")


class DiffView(VerticalScroll, can_focus=True):
    """One FileChange as a highlighted diff."""

    DEFAULT_CSS = """
    DiffView { height: 1fr; padding: 0 1; background: $surface; }
    DiffView > Static { width: auto; min-width: 100%; }
    """

    def __init__(self, change: FileChange, **kwargs) -> None:
        super().__init__(**kwargs)
        self.change = change

    def compose(self):
        yield Static(diff_content(self.change), markup=False)
