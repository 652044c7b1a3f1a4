"""Messages widgets and screens post; the App handles them and swaps its Plan."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from rustdock.wizard.findings import Finding


class Navigate(Message):
    """Go to a step of the wizard, or `by` steps on from where the App is (next/back)."""

    def __init__(self, step: str = "", *, by: int = 0) -> None:
        super().__init__()
        self.step = step
        self.by = by


class ChoiceMade(Message):
    """The user set an option to a value (already parsed by the option)."""

    def __init__(self, key: str, value: Any) -> None:
        super().__init__()
        self.key = key
        self.value = value


class ChoiceReset(Message):
    """The user sent an option back to its derived default."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class FixRequested(Message):
    """Apply a finding's fix (its fix_choices)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding


class StartRequested(Message):
    """Start the plan again: from a preset ("" for none), from the saved answers or from
    the project's own Dockerfile."""

    def __init__(self, preset: str = "", *, saved: bool = False, dockerfile: bool = False) -> None:
        super().__init__()
        self.preset = preset
        self.saved = saved
        self.dockerfile = dockerfile


class SaveRequested(Message):
    """Write the files; force=True replaces files rustdock did not write."""

    def __init__(self, *, force: bool = False) -> None:
        super().__init__()
        self.force = force


class DemoRequested(Message):
    """Open the bundled demo project (a temporary copy)."""
