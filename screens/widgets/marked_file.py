"""One side of the comparison: a Dockerfile with its line numbers, and the numbers of the
differences each line carries in the gutter (the line tinted too, but the number says it)."""

from __future__ import annotations

from textual.content import Content
from textual.highlight import highlight

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rustdock.wizard.import_compare import Side

from .lines_view import LinesView


def marked_lines(side: Side) -> tuple[list[Content], list[Content]]:
    """(the lines highlighted, the gutter: "12 [3,5]"), every gutter the same width."""
    lines = highlight("\n".join(side.lines), language="docker").split("\n")[: len(side.lines)]
    numbers = len(str(len(lines)))
    tags = {index: "[" + ",".join(map(str, found)) + "]" for index, found in side.marks.items()}
    width = max((len(tag) for tag in tags.values()), default=0)
    body, gutter = [], []
    for index, line in enumerate(lines):
        number = Content.styled(f"{index + 1:>{numbers}} ", "$text-muted")
        tag = tags.get(index, "")
        gutter.append(Content.assemble(number, (f"{tag:<{width}} ", "bold $text-warning")))
        body.append(line.stylize_before("on $warning-muted") if tag else line)
    return body, gutter


class MarkedFile(LinesView):
    """A Dockerfile, framed, titled, its differences marked by number."""

    DEFAULT_CSS = """
    MarkedFile {
        width: 1fr;
        height: 1fr;
        border: round $foreground 30%;
        border-title-color: $text-accent;
        padding: 0 0 0 1;
        &:focus { border: round $accent; }
    }
    """

    def __init__(self, side: Side, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.side = side
        self.border_title = title

    def on_mount(self) -> None:
        self.set_lines(*marked_lines(self.side))
