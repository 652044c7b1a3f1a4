"""Where a project keeps its Dockerfile: the root, then docker/."""

from __future__ import annotations

from pathlib import Path

from ..meta import written_by_rustdock

#: Names looked for at the project root, then in docker/, in this order.
NAMES = ("Dockerfile", "Containerfile", "dockerfile", "containerfile")
#: Folders that hold a project's container files.
FOLDERS = ("docker",)
#: Files that look like Dockerfiles but are inputs to something else.
_NOT_DOCKERFILES = (".j2", ".jinja", ".tmpl", ".tpl", ".template", ".in", ".dockerignore", ".md")


def _present(path: Path) -> bool:
    # A symlink counts even when it leads nowhere or loops: reading it then says why.
    return path.is_symlink() or path.is_file()


def _variants(folder: Path) -> list[Path]:
    """`Dockerfile.debian`, `alpine.Dockerfile`, `Containerfile.x` in a folder, by name."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    return [
        entry
        for entry in entries
        if any(marker in entry.name.lower() for marker in ("dockerfile", "containerfile"))
        and not entry.name.lower().endswith(_NOT_DOCKERFILES)
        and _present(entry)
        and not entry.is_dir()
    ]


def find_dockerfile(root: Path) -> Path | None:
    """The project's Dockerfile: Dockerfile or Containerfile at the root, else the same
    names in docker/, else the first other Dockerfile there (docker/Dockerfile.debian).
    Symlinks are followed when the file is read."""
    for folder in (root, *(root / name for name in FOLDERS)):
        for name in NAMES:
            if _present(folder / name):
                return folder / name
    for name in FOLDERS:
        found = _variants(root / name)
        if found:
            return found[0]
    return None


def looked_for(root: Path) -> str:
    """The places find_dockerfile tries, for a message when there is none."""
    return f"{', '.join(NAMES[:2])} in {root} or its docker/ folder"


def foreign_dockerfile(root: Path) -> Path | None:
    """The project's Dockerfile when rustdock did not write it (no marker line), else None.
    A file that cannot be read counts as foreign: whoever reads it next says why."""
    path = find_dockerfile(root)
    if path is None:
        return None
    try:
        head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    except OSError:
        return path
    return None if written_by_rustdock(head) else path
