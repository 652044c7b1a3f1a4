"""What the rules say about a Plan."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
TIP = "tip"

SEVERITY_ORDER = {ERROR: 0, WARNING: 1, TIP: 2}


@dataclass(frozen=True)
class Finding:
    """One rule's verdict. Errors block saving; warnings and tips explain trade-offs."""

    #: Stable id, e.g. "dynamic-in-static-runtime".
    rule: str
    severity: str
    #: The option the finding is about (the wizard shows it next to that option).
    option: str
    message: str
    #: What to do, in words.
    fix: str = ""
    #: A change that applies the fix: {option: value}. The wizard offers it on one key.
    fix_choices: tuple[tuple[str, object], ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def line(self) -> str:
        text = f"{self.severity}: {self.option}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text
