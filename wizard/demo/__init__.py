"""The sample project `rustdock --demo` opens: a small axum service, kept as package data."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

#: The directory name the sample gets inside `dest`.
DEMO_NAME = "hello-service"


def _copy_tree(source: Traversable, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            _copy_tree(entry, dest / entry.name)
        else:
            (dest / entry.name).write_bytes(entry.read_bytes())


def copy_demo(dest: Path) -> Path:
    """Copy the sample project into `dest` (as `dest/hello-service`) and return its root.

    Works from a checkout and from an installed wheel (package data, possibly zipped)."""
    root = Path(dest) / DEMO_NAME
    _copy_tree(files(__name__) / "project", root)
    return root
