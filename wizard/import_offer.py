"""The welcome screen's offer to start from the project's own Dockerfile, headless.

Made once per project read (off the UI thread: the check parses the file and runs every
rule), so the welcome screen only shows it: the path, what `rustdock check` finds in it
(errors, warnings, tips) and how much of it becomes choices. A file the BuildKit parser
rejects is an offer that cannot be taken, with the one line saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .import_review import Start, dockerfile_start
from .project import Project


@dataclass(frozen=True)
class Offer:
    #: Their Dockerfile, relative to the project root.
    path: str
    #: The start it makes; None when the file cannot be read (then `problem` says why).
    start: Start | None = None
    problem: str = ""

    def counts(self) -> str:
        """What `rustdock check` finds: "2 errors, 5 warnings, 1 tip" ("no findings")."""
        if self.start is None:
            return ""
        severities = [item.severity for item in self.start.report.findings]
        parts = [f"{n} {name}{'s' * (n != 1)}"
                 for name in ("error", "warning", "tip") if (n := severities.count(name))]
        return ", ".join(parts) or "no findings"

    def detail(self) -> str:
        """The line under the offer."""
        if self.start is None:
            return f"{self.path} cannot be read: {self.problem}. Start fresh below."
        imported = self.start.imported
        read = len(imported.answers)
        left = len(imported.left_over)
        text = (f"{self.path} · rustdock check: {self.counts()} · {read} choice{'s' * (read != 1)} "
                "read from it")
        return text + (f", {left} line{'s' * (left != 1)} not carried over" if left else "")


def dockerfile_offer(project: Project) -> Offer | None:
    """The offer for a project with a Dockerfile rustdock did not write and no answers
    file; None otherwise (saved answers come first: the user already chose)."""
    if not project.foreign_dockerfile or project.saved_answers:
        return None
    from .check import CheckError
    from .options import OptionError

    try:
        start = dockerfile_start(project)
    except (CheckError, OptionError) as err:
        return Offer(project.foreign_dockerfile,
                     problem=_one_line(str(err), project.foreign_dockerfile, project.root))
    if start is None:
        return None
    return Offer(start.path, start)


def _one_line(message: str, path: str, root: Path) -> str:
    """The parser's message without the path the offer already names ("line 4: ...")."""
    message = " ".join(message.split())
    for shown in (str(root / path), path):
        if message.startswith(f"{shown}:"):
            message = message[len(shown) + 1:].strip()
            break
    message = re.sub(r"^(\d+):", r"line \1:", message)
    return message.rstrip(".")
