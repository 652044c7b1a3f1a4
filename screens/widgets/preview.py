"""The live Dockerfile preview: highlighted, re-rendered on every change, changes marked."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.reactive import reactive
from textual.widgets import Static

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome


#: How long the lines touched by the last change stay marked, in seconds.
MARK_SECONDS = 1.5


def changed_lines(before: str, after: str) -> tuple[int, ...]:
    """0-based indexes of the lines in `after` that differ from `before`."""
    if not before:
        return ()
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    touched: list[int] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            touched.extend(range(j1, j2))
        elif tag == "delete" and j1 < len(after.splitlines()):
            # A removal is marked on the line that now stands where the old ones were.
            touched.append(j1)
    return tuple(sorted(set(touched)))


def numbered(text: str, marked: tuple[int, ...]) -> Content:
    """The Dockerfile highlighted, with line numbers and the marked lines shown."""
    lines = highlight(text, language="docker").split("\n")
    width = len(str(len(lines)))
    marks = set(marked)
    out: list[Content] = []
    for index, line in enumerate(lines):
        number = Content.styled(f"{index + 1:>{width}} ", "$text-muted")
        if index in marks:
            gutter = Content.styled("▌", "$warning")
            line = line.stylize_before("on $warning-muted")
        else:
            gutter = Content(" ")
        out.append(Content.assemble(number, gutter, line))
    return Content("\n").join(out)


class DockerfilePreview(VerticalScroll, can_focus=True):
    """The Dockerfile of the current outcome; lines the last change touched are marked."""

    DEFAULT_CSS = """
    DockerfilePreview {
        width: 1fr;
        height: 1fr;
        border: round $foreground 30%;
        border-title-color: $text-accent;
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        &:focus { border: round $accent; }
        #dockerfile { width: auto; min-width: 100%; }
    }
    """

    outcome: reactive[Outcome | None] = reactive(None)
    #: Lines currently marked (0-based), for tests and the scroll position.
    marked: reactive[tuple[int, ...]] = reactive(tuple, init=False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Dockerfile"
        self._text = ""
        self._unmark_timer = None

    def compose(self):
        yield Static(id="dockerfile", markup=False)

    @property
    def text(self) -> str:
        """The Dockerfile shown now."""
        return self._text

    def watch_outcome(self, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        text = outcome.rendered.dockerfile
        if text == self._text:
            return
        before, self._text = self._text, text
        self.marked = changed_lines(before, text)
        self._show()
        if self.marked:
            first = self.marked[0]
            self.call_after_refresh(self.scroll_to, y=max(first - 2, 0), animate=False)
            if self._unmark_timer is not None:
                self._unmark_timer.stop()
            self._unmark_timer = self.set_timer(MARK_SECONDS, self._unmark)

    def _unmark(self) -> None:
        self.marked = ()
        self._show()

    def _show(self) -> None:
        self.query_one("#dockerfile", Static).update(numbered(self._text, self.marked))
