"""Read a Rust project into a Project. (Owned by the detect work; signature is fixed.)"""

from __future__ import annotations

from pathlib import Path

from .project import Project


class DetectError(Exception):
    """A project rustdock cannot read. The message names the file (and line) and the fix."""


def detect(root: Path) -> Project:
    """Facts about the project at `root`. Raises DetectError for unreadable projects."""
    raise NotImplementedError("detect is being written")
