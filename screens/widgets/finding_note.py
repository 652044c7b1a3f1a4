"""Findings as short paragraphs, in lists or under their option; a click applies a fix."""

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
    if finding.fix_choices:
        hint = f"  [{fix_key}] apply fix" if fix_key else "  (click: apply fix)"
        parts.append((hint, "bold $text-accent" if fix_key else "$text-accent"))
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


class FieldFindings(Static):
    """The findings about one option, under its field; a click applies the first fix."""

    DEFAULT_CSS = """
    FieldFindings { height: auto; width: 1fr; padding: 0 0 0 1; }
    FieldFindings.-empty { display: none; }
    FieldFindings.-error { background: $error-muted 25%; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.findings: tuple[Finding, ...] = ()
        self._keyed: Finding | None = None
        self.add_class("-empty")

    def show(self, findings: Iterable[Finding], keyed: Finding | None = None) -> None:
        """Show findings; `keyed` is the one the fix key applies (its hint names the key)."""
        findings = tuple(findings)
        if (findings, keyed) == (self.findings, self._keyed):
            return
        self.findings, self._keyed = findings, keyed
        self.set_class(not findings, "-empty")
        self.set_class(any(f.is_error for f in findings), "-error")
        notes = (describe(f, fix_key="f" if f == keyed else "") for f in findings)
        self.update(Content("\n").join(notes))

    def on_click(self) -> None:
        fixable = next((f for f in self.findings if f.fix_choices), None)
        if fixable is not None:
            self.post_message(FixRequested(fixable))
