"""The plain-words trade-off of the option (and value) the user is looking at."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from rustdock.wizard.options import Option
from rustdock.wizard.project import Project


def guidance(opt: Option, value: Any, project: Project | None) -> Content:
    """The option's help, then the looked-at value's trade-off and expected size."""
    parts: list[Content | tuple[str, str] | str] = [(opt.label, "bold $text-accent"), "\n", opt.help]
    described = opt.value_help(value, project) if opt.kind == "choice" else None
    if described is not None:
        parts += ["\n\n", (f"{described.label}: ", "bold"), described.help]
        if described.size:
            parts += ["\n", ("Expected image size: ", "bold"), described.size]
    return Content.assemble(*parts)


class Guidance(Static):
    """Explains the focused option; updated by the step screen."""

    DEFAULT_CSS = """
    Guidance {
        height: auto;
        max-height: 12;
        padding: 0 1;
        margin: 0 0 1 0;
        border: round $accent 40%;
        border-title-color: $text-accent;
        background: $boost;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.border_title = "Why it matters"

    def explain(self, opt: Option, value: Any, project: Project | None) -> None:
        self.update(guidance(opt, value, project))
