"""Write a set of FileChanges atomically, with backups. (Owned by the save work.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .changes import FileChange


class SaveError(Exception):
    """Nothing was written; the message says why and what to do."""


@dataclass(frozen=True)
class SaveResult:
    written: tuple[str, ...]
    backups: tuple[str, ...]
    unchanged: tuple[str, ...]


def save(root: Path, changes: Sequence[FileChange], *, force: bool = False) -> SaveResult:
    raise NotImplementedError("save is being written")
