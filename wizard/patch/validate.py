"""`cargo metadata --offline --no-deps` on patched manifests, before anything is written.

cargo runs in a temporary mirror of the project: real folders, symbolic links to every
file, and the patched manifests as real files. Member globs, auto-discovered targets and
path dependencies resolve as they would in place; path dependencies outside the project
are linked at the same relative place. Cargo.lock is copied, never linked, so cargo cannot
write through to the project; toolchain files are left out so rustup never tries to fetch
a toolchain.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

SKIP_DIRS = frozenset({"target", ".git", "node_modules", ".rustdock"})
SKIP_FILES = frozenset({"rust-toolchain", "rust-toolchain.toml"})
#: Files cargo might write: copied, so nothing it does can reach the project.
COPIED = frozenset({"Cargo.lock"})
_PATH_KEY = re.compile(r"""\bpath\s*=\s*["']([^"']+)["']""")


class CargoCheckError(Exception):
    """cargo's own message, with the mirror's paths turned back into the project's."""


def cargo_check(root: Path, manifests: Mapping[str, str], timeout: float = 60) -> None:
    root = root.resolve()
    with tempfile.TemporaryDirectory(prefix="rustdock-check-") as tmp:
        escapes = _outside_paths(root, manifests)
        depth = max((_ups(root, p) for p in escapes), default=0)
        mirror = Path(tmp).joinpath(*(["up"] * depth), root.name or "project")
        _mirror(root, mirror)
        for outside in escapes:
            link = Path(os.path.normpath(mirror / os.path.relpath(outside, root)))
            if not link.exists():
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(outside)
        for rel, text in manifests.items():
            target = mirror / rel
            target.unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run(
                ["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1",
                 "--manifest-path", str(mirror / "Cargo.toml")],
                cwd=mirror, capture_output=True, text=True, timeout=timeout,
                env={**os.environ, "CARGO_TERM_COLOR": "never"},
            )
        except subprocess.TimeoutExpired:
            raise CargoCheckError(f"cargo metadata took longer than {timeout:.0f} s") from None
        if done.returncode != 0:
            raise CargoCheckError(done.stderr.strip().replace(str(mirror), str(root)))


def _mirror(source: Path, mirror: Path) -> None:
    for folder, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        here = mirror / os.path.relpath(folder, source)
        here.mkdir(parents=True, exist_ok=True)
        for name in files:
            if name in COPIED:
                shutil.copyfile(Path(folder) / name, here / name)
            elif name not in SKIP_FILES:
                (here / name).symlink_to(Path(folder) / name)


def _outside_paths(root: Path, manifests: Mapping[str, str]) -> list[Path]:
    """Path dependencies (in any manifest of the project) that lie outside the root."""
    found = set()
    texts = dict(manifests)
    for manifest in root.rglob("Cargo.toml"):
        rel = manifest.relative_to(root).as_posix()
        if not SKIP_DIRS.intersection(Path(rel).parts):
            texts.setdefault(rel, manifest.read_text(encoding="utf-8", errors="replace"))
    for rel, text in texts.items():
        for value in _PATH_KEY.findall(text):
            target = ((root / rel).parent / value).resolve()
            if target.exists() and not target.is_relative_to(root):
                found.add(target)
    return sorted(found)


def _ups(root: Path, outside: Path) -> int:
    parts = Path(os.path.relpath(outside, root)).parts
    return sum(1 for p in parts if p == "..")
