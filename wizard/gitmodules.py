"""The git submodules a repository declares in .gitmodules."""

from __future__ import annotations

from pathlib import Path


def submodule_paths(root: Path) -> tuple[str, ...]:
    """Each `path = ...` of .gitmodules, relative to the root (none when unreadable)."""
    try:
        text = (root / ".gitmodules").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    found = []
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key.strip() == "path":
            found.append(value.strip().strip('"').rstrip("/"))
    return tuple(found)


def submodule_of(root: Path, rel: str) -> str:
    """The submodule that holds `rel`, "" when none does."""
    return next((p for p in submodule_paths(root) if rel == p or rel.startswith(p + "/")), "")
