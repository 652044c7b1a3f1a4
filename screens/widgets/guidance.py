"""The plain-words trade-off of the option the user is on: the choice made, and the value
under the cursor when that is another one."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from rustdock.wizard.options import Option
from rustdock.wizard.project import Project
from rustdock.wizard.wording import value_label


def _value_part(opt: Option, value: Any, project: Project | None, head: str) -> list:
    described = opt.value_help(value, project)
    if described is None:
        return []
    parts: list = ["\n\n", (f"{head}{described.label}: ", "bold"), described.help]
    if described.size:
        parts += ["\n", ("Expected image size: ", "bold"), described.size]
    return parts


def guidance(opt: Option, chosen: Any, project: Project | None, looked: Any = None) -> Content:
    """The option's help, the chosen value's trade-off, then the looked-at value's."""
    parts: list[Content | tuple[str, str] | str] = [(opt.label, "bold $text-accent"), "\n", opt.help]
    if opt.kind == "choice":
        parts += _value_part(opt, chosen, project, "Chosen: ")
        if looked is not None and looked != chosen:
            parts += _value_part(opt, looked, project, "Under the cursor (Enter chooses it): ")
    elif opt.kind == "bool":
        parts += ["\n\n", ("Now: ", "bold"), value_label(opt.key, chosen)]
    if opt.derived:
        parts += ["\n", ("Default: ", "bold"), opt.derived]
    return Content.assemble(*parts)


class Guidance(VerticalScroll, can_focus=False):
    """Explains the focused option; grows with its text up to half the column, then scrolls."""

    DEFAULT_CSS = """
    Guidance {
        height: auto;
        max-height: 50%;
        scrollbar-size-vertical: 1;
        padding: 0 1;
        margin: 0 0 1 0;
        border: round $accent 40%;
        border-title-color: $text-accent;
        background: $boost;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Why it matters"

    def compose(self):
        yield Static("", markup=False, id="guidance-text")

    def explain(self, opt: Option, chosen: Any, project: Project | None, looked: Any = None) -> None:
        self.query_one("#guidance-text", Static).update(guidance(opt, chosen, project, looked))
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """What the pane says now, as plain text."""
        return str(self.query_one("#guidance-text", Static).render())
