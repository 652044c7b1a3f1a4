"""The live Dockerfile preview: highlighted, re-rendered on every change, changes marked."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from textual.content import Content
from textual.highlight import highlight
from textual.reactive import reactive

from .lines_view import LinesView

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


def numbered(text: str, marked: tuple[int, ...]) -> tuple[list[Content], list[Content]]:
    """(the Dockerfile's lines highlighted, the gutter: line numbers and change marks)."""
    lines = highlight(text, language="docker").split("\n")
    width = len(str(len(lines)))
    marks = set(marked)
    body: list[Content] = []
    gutter: list[Content] = []
    for index, line in enumerate(lines):
        number = Content.styled(f"{index + 1:>{width}} ", "$text-muted")
        if index in marks:
            gutter.append(Content.assemble(number, ("▌", "$warning")))
            body.append(line.stylize_before("on $warning-muted"))
        else:
            gutter.append(Content.assemble(number, " "))
            body.append(line)
    return body, gutter


class DockerfilePreview(LinesView):
    """The Dockerfile of the current outcome; lines the last change touched are marked.

    Lines never wrap: the view scrolls sideways and marks lines that go on past its edge.
    """

    DEFAULT_CSS = """
    DockerfilePreview {
        width: 1fr;
        height: 1fr;
        border: round $foreground 30%;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
        padding: 0 0 0 1;
        &:focus { border: round $accent; }
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
        self.set_lines(*numbered(self._text, self.marked))
        self._hint()

    def on_resize(self) -> None:
        self._hint()

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self._hint()

    def _hint(self) -> None:
        """Says under the frame how many lines go on past the edge, and how to see them."""
        cut = len(self.cut_lines()) if self.size.width else 0
        self.border_subtitle = f"{cut} line{'s' * (cut != 1)} go on › (←/→ scroll)" if cut else ""
