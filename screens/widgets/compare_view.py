"""Their Dockerfile beside the new one (stacked when the screen is narrow), the
differences numbered in both, and the list that explains each number."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rustdock.wizard.import_compare import Comparison

from .difference_list import DifferenceList
from .marked_file import MarkedFile


class CompareView(Vertical):
    """Two files side by side over the list of differences; one column below 100 cells,
    where the whole view scrolls and each file keeps a fixed height."""

    # Not scoped: the narrow layout follows the screen's width class (-narrow).
    SCOPED_CSS = False
    DEFAULT_CSS = """
    CompareView { height: 1fr; }
    CompareView #compare-files { height: 3fr; }
    .-narrow CompareView { overflow-y: auto; scrollbar-size-vertical: 1; }
    .-narrow CompareView #compare-files { layout: vertical; height: auto; }
    .-narrow CompareView MarkedFile { height: 10; }
    .-narrow CompareView DifferenceList { height: auto; overflow-y: hidden; }
    """

    def __init__(self, comparison: Comparison, theirs_path: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.comparison = comparison
        self.theirs_path = theirs_path

    def compose(self):
        with Horizontal(id="compare-files"):
            yield MarkedFile(self.comparison.theirs, f"Yours: {self.theirs_path}", id="theirs")
            yield MarkedFile(self.comparison.ours, "New: rustdock's Dockerfile", id="ours")
        yield DifferenceList(self.comparison.differences, id="differences")
