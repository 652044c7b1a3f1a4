"""Which project a directory belongs to, found like cargo finds it: run from `src/` or from a
workspace member, rustdock works on the workspace root, where the Dockerfile belongs."""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath


def _manifest(folder: Path) -> dict | None:
    """The folder's Cargo.toml as data; {} when it is unreadable, None when there is none."""
    path = folder / "Cargo.toml"
    if not path.is_file():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # detect says what is wrong with it


def _lists(workspace: dict, rel: str) -> bool:
    """Whether a [workspace] table takes in the directory at `rel` (from its root)."""
    members = [m for m in workspace.get("members", []) if isinstance(m, str)]
    excluded = [e for e in workspace.get("exclude", []) if isinstance(e, str)]
    path = PurePosixPath(rel)
    if any(path == PurePosixPath(e) or PurePosixPath(e) in path.parents for e in excluded):
        return False
    return any(path.match(m) and len(path.parts) == len(PurePosixPath(m).parts) for m in members)


def find_root(start: Path) -> Path:
    """The project root for `start`: the nearest folder upwards with a Cargo.toml, then the
    workspace above it that lists it as a member. `start` itself when there is none."""
    start = start.resolve()
    nearest = next((d for d in (start, *start.parents) if _manifest(d) is not None), None)
    if nearest is None:
        return start
    data = _manifest(nearest) or {}
    if "workspace" in data:
        return nearest
    package = data.get("package")
    pointer = package.get("workspace") if isinstance(package, dict) else None
    if isinstance(pointer, str):
        target = (nearest / pointer).resolve()
        return target if _manifest(target) is not None else nearest
    for folder in nearest.parents:
        above = _manifest(folder)
        workspace = above.get("workspace") if above else None
        if isinstance(workspace, dict):
            rel = nearest.relative_to(folder).as_posix()
            return folder if _lists(workspace, rel) else nearest
    return nearest
