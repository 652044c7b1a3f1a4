"""A file's unified diff, highlighted; long lines scroll sideways with a marker."""

from __future__ import annotations

from textual.content import Content
from textual.highlight import highlight

from rustdock.wizard.changes import FileChange

from .lines_view import LinesView


def diff_content(change: FileChange) -> Content:
    diff = change.diff()
    if not diff:
        return Content.styled(f"{change.path}: no change", "$text-muted")
    return highlight(diff, language="diff")


class DiffView(LinesView):
    """One FileChange as a highlighted diff."""

    DEFAULT_CSS = """
    DiffView { height: 1fr; padding: 0 1; background: $surface; }
    """

    def __init__(self, change: FileChange, **kwargs) -> None:
        super().__init__(**kwargs)
        self.change = change

    def on_mount(self) -> None:
        self.set_lines(diff_content(self.change).split("\n"))
