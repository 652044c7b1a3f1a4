"""Lines that never wrap: scroll sideways, and a marker where a line goes on out of sight."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

#: Drawn in the last column of a line that goes on to the right (and the first one of a
#: line that starts to the left of the view).
CUT_RIGHT, CUT_LEFT = "›", "‹"


class LinesView(ScrollView, can_focus=True):
    """Shows lines of Content as they are; an optional gutter (line numbers) stays put.

    Arrow keys scroll (left/right sideways), like any scrollable container.
    """

    DEFAULT_CSS = """
    LinesView {
        height: 1fr;
        overflow: auto auto;
        scrollbar-size: 1 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .lines-view--cut { color: $text-accent; text-style: bold; background: $accent 20%; }
    }
    """

    COMPONENT_CLASSES = {"lines-view--cut"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[Content] = []
        self._gutter: list[Content] = []
        self._strips: dict[int, Strip] = {}

    @property
    def widest(self) -> int:
        """The width of the longest line, in cells (without the gutter)."""
        return max((line.cell_length for line in self._lines), default=0)

    def set_lines(self, lines: Sequence[Content], gutter: Sequence[Content] = ()) -> None:
        """Show new lines; `gutter` (one per line, same width) does not scroll sideways."""
        self._lines, self._gutter = list(lines), list(gutter)
        self._strips.clear()
        gutter_width = self._gutter[0].cell_length if self._gutter else 0
        # One spare column so the end of the longest line is never under the marker.
        self.virtual_size = Size(gutter_width + self.widest + 1, len(self._lines))
        self.refresh()

    def cut_lines(self) -> tuple[int, ...]:
        """Indexes of the lines that go on past the right edge of the view, now."""
        width = self._body_width()
        x = self.scroll_offset.x
        return tuple(i for i, line in enumerate(self._lines) if line.cell_length > x + width)

    def _body_width(self) -> int:
        gutter_width = self._gutter[0].cell_length if self._gutter else 0
        return max(self.scrollable_content_region.width - gutter_width, 1)

    def _strip(self, content: Content, index: int | None = None) -> Strip:
        if index is not None and index in self._strips:
            return self._strips[index]
        width = max(content.cell_length, 1)
        strips = Visual.to_strips(self, content, width, 1, self.visual_style)
        strip = strips[0] if strips else Strip.blank(width)
        if index is not None:
            self._strips[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        total = self.scrollable_content_region.width
        base = self.visual_style.rich_style
        if not 0 <= index < len(self._lines):
            return Strip.blank(total, base)
        width = self._body_width()
        line = self._lines[index]
        body = self._strip(line, index).crop_extend(scroll_x, scroll_x + width, base)
        cut = self.get_visual_style("lines-view--cut").rich_style
        if line.cell_length > scroll_x + width:
            body = Strip.join([body.crop(0, width - 1), Strip([Segment(CUT_RIGHT, cut)], 1)])
        if scroll_x and line.cell_length and width > 1:
            body = Strip.join([Strip([Segment(CUT_LEFT, cut)], 1), body.crop(1, width)])
        if self._gutter:
            body = Strip.join([self._strip(self._gutter[index]), body])
        return body.adjust_cell_length(total, base)

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()
