"""Detect what building needs from outside the sources: build scripts' git, network and
files, git dependencies, git submodules that are not checked out, and the `.env` that
sqlx's compile-time checked queries read DATABASE_URL from."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .build_scripts import ScriptFacts, read_script
from .cargo_lock import Lock
from .cargo_workspace import Crate
from .gitmodules import submodule_paths



def scripts(root: Path, crates: dict[str, Crate], read) -> tuple[ScriptFacts, ...]:
    """Facts of every local crate's build script that can be read."""
    found = []
    for crate in crates.values():
        if not crate.build_script:
            continue
        text = read(root, crate.build_script)
        if text is None:
            continue
        build_deps = [(d.name, d.features) for d in crate.deps if d.kind == "build-dependencies"]
        found.append(read_script(crate.build_script, crate.name, crate.dir, text, build_deps))
    return tuple(found)


def git_sources(lock: Lock | None) -> tuple[str, ...]:
    """Repositories Cargo.lock fetches crates from over https (ssh is private_git's)."""
    if lock is None:
        return ()
    urls = {s.split("+", 1)[1].split("?")[0].split("#")[0]
            for s in lock.sources if s.startswith("git+") and not s.startswith("git+ssh")}
    return tuple(sorted(urls))


def submodules(root: Path) -> tuple[tuple[str, bool], ...]:
    """(path, checked out) for each submodule .gitmodules lists."""
    found = []
    for rel in submodule_paths(root):
        folder = root / rel
        found.append((rel, folder.is_dir() and any(folder.iterdir())))
    return tuple(found)


def database_url(root: Path, dirs: tuple[str, ...]) -> tuple[str, str]:
    """(the .env file, DATABASE_URL it sets) in the root or a package directory, as
    sqlx's macros find it (they look in the package directory and its parents)."""
    for rel in dict.fromkeys(dirs):
        env = root / rel / ".env"
        try:
            text = env.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, sep, value = line.strip().removeprefix("export ").partition("=")
            if sep and key.strip() == "DATABASE_URL":
                name = ".env" if rel in ("", ".") else f"{rel}/.env"
                return name, value.strip().strip("'\"")
    return "", ""


def sqlite_file(url: str, env_dir: str) -> str:
    """The database file a sqlite: URL names, relative to the project root ("" for an
    in-memory or absolute one)."""
    if not url.startswith("sqlite:"):
        return ""
    path = re.sub(r"^sqlite:(//)?", "", url).split("?")[0]
    if not path or path.startswith("/") or path == ":memory:":
        return ""
    return posixpath.normpath(posixpath.join(env_dir or ".", path))
