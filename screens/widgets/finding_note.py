"""One finding, shown next to its option or in a list; clicking it applies its fix."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import Static

from rustdock.wizard.findings import ERROR, WARNING, Finding

from ..messages import FixRequested

ICONS = {ERROR: "✖ error", WARNING: "▲ warning"}
STYLES = {ERROR: "$text-error", WARNING: "$text-warning"}


def describe(finding: Finding, *, with_option: bool = False, fix_key: str = "f") -> Content:
    """A finding in one paragraph: severity, message, fix, and the key that applies it."""
    head = ICONS.get(finding.severity, "● tip")
    parts: list[Content | tuple[str, str] | str] = [
        (head, f"bold {STYLES.get(finding.severity, '$text-accent')}"),
        " ",
    ]
    if with_option:
        parts.append((f"{finding.option}: ", "bold"))
    parts.append(finding.message)
    if finding.fix:
        parts.append((f" Fix: {finding.fix}", "$text-muted"))
    if finding.fix_choices and fix_key:
        parts.append((f"  [{fix_key}] apply fix", "bold $text-accent"))
    return Content.assemble(*parts)


class FindingNote(Static):
    """A finding as a short paragraph; a click applies its fix when it has one."""

    DEFAULT_CSS = """
    FindingNote { height: auto; width: 1fr; padding: 0 0 0 1; }
    FindingNote.-error { background: $error-muted 25%; }
    FindingNote.-fixable:hover { background: $boost; }
    """

    def __init__(self, finding: Finding, *, with_option: bool = False, fix_key: str = "f") -> None:
        super().__init__(describe(finding, with_option=with_option, fix_key=fix_key), markup=False)
        self.finding = finding
        self.set_class(finding.is_error, "-error")
        self.set_class(bool(finding.fix_choices), "-fixable")

    def on_click(self) -> None:
        if self.finding.fix_choices:
            self.post_message(FixRequested(self.finding))


def finding_notes(findings: Iterable[Finding], *, with_option: bool = False) -> list[FindingNote]:
    return [FindingNote(f, with_option=with_option) for f in findings]
