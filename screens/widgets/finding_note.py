"""Findings as short paragraphs in plain words; each one can be focused and fixed by keyboard."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from rustdock.wizard.findings import ERROR, WARNING, Finding
from rustdock.wizard.project import Project
from rustdock.wizard.wording import choices_words, in_words, where

from ..messages import FixRequested

ICONS = {ERROR: "✖ error", WARNING: "▲ warning"}
STYLES = {ERROR: "$text-error", WARNING: "$text-warning"}


def describe(finding: Finding, *, with_option: bool = False, keys: str = "",
             project: Project | None = None) -> Content:
    """A finding in one paragraph: severity, message, fix, and what its fix key sets."""
    head = ICONS.get(finding.severity, "● tip")
    parts: list[Content | tuple[str, str] | str] = [
        (head, f"bold {STYLES.get(finding.severity, '$text-accent')}"),
        " ",
    ]
    if with_option:
        parts.append((f"{where(finding.option)}: ", "bold"))
    parts.append(in_words(finding.message, project))
    if finding.fix:
        parts.append((f" Fix: {in_words(finding.fix, project)}", "$text-muted"))
    if finding.fix_choices:
        sets = choices_words(finding.fix_choices, project)
        if keys:
            parts.append((f"  [{keys}] sets {sets}", "bold $text-accent"))
        else:
            parts.append((f"  (its fix sets {sets})", "$text-accent"))
    return Content.assemble(*parts)


class FindingNote(Static, can_focus=True):
    """A finding; Enter (or a click) applies its fix when it has one."""

    DEFAULT_CSS = """
    FindingNote { height: auto; width: 1fr; padding: 0 0 0 1; }
    FindingNote.-error { background: $error-muted 25%; }
    FindingNote.-fixable:hover { background: $boost; }
    FindingNote:focus { background: $accent 20%; text-style: none; }
    """

    BINDINGS = [Binding("enter", "apply", "Apply fix", show=False)]

    def __init__(self, finding: Finding, *, with_option: bool = False, first: bool = False,
                 project: Project | None = None, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.finding = finding
        self.with_option = with_option
        #: The screen's fix key (f) applies this one while no other finding has focus.
        self.first = first
        self.project = project
        self.set_class(finding.is_error, "-error")
        self.set_class(bool(finding.fix_choices), "-fixable")
        self.can_focus = bool(finding.fix_choices)
        self._show()

    def _show(self) -> None:
        keys = "enter" if self.has_focus else ("f" if self.first else "")
        self.update(describe(self.finding, with_option=self.with_option, keys=keys,
                             project=self.project))

    def on_focus(self) -> None:
        self._show()

    def on_blur(self) -> None:
        self._show()

    def action_apply(self) -> None:
        if self.finding.fix_choices:
            self.post_message(FixRequested(self.finding))

    def on_click(self) -> None:
        self.action_apply()


class FieldFindings(Vertical):
    """The findings about one option, under its field, one focusable note each."""

    DEFAULT_CSS = """
    FieldFindings { height: auto; width: 1fr; }
    FieldFindings.-empty { display: none; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.findings: tuple[Finding, ...] = ()
        self._first: Finding | None = None
        self.add_class("-empty")

    def show(self, findings: Iterable[Finding], first: Finding | None = None,
             project: Project | None = None) -> None:
        """Show findings; `first` is the one the screen's fix key applies."""
        findings = tuple(findings)
        if (findings, first) == (self.findings, self._first):
            return
        focused = self.screen.focused if self.is_attached else None
        had_focus = isinstance(focused, FindingNote) and focused.parent is self
        self.findings, self._first = findings, first
        self.set_class(not findings, "-empty")
        self.remove_children()
        notes = [FindingNote(f, first=f == first, project=project) for f in findings]
        self.mount_all(notes)
        if had_focus:
            target = next((n for n in notes if n.can_focus), None)
            if target is not None:
                self.call_after_refresh(target.focus)
