"""Detect what the build itself needs: the feature gates of every package that ships a
binary. Headless and bounded: it reads build scripts and crate roots, nothing else."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import MappingProxyType

from . import detect_scripts
from .build_facts import BuildFacts
from .cargo_config import CargoConfig
from .cargo_lock import Lock
from .cargo_manifest import join
from .cargo_sources import Sources
from .cargo_workspace import Crate, Workspace
from .feature_gates import Gate, gates_in
from .ignore_rules import split
from .meta import written_by_rustdock
from .patch.source import MARKER as ALLOCATOR_MARKER

#: A crate root or build script larger than this is read only this far.
MAX_BYTES = 512_000


def read_source(root: Path, rel: str) -> str | None:
    """A source file's text (undecodable bytes replaced), None when it cannot be read:
    cargo reports an unreadable source itself, rustdock only reads what it can."""
    try:
        with open(root / rel, "rb") as handle:
            return handle.read(MAX_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def _roots(crate: Crate) -> list[str]:
    """The files a package's features can gate: build script, lib and binary roots."""
    files = [crate.build_script] if crate.build_script else []
    files += [join(crate.dir, "src/lib.rs"), *(b.path for b in crate.binaries)]
    return list(dict.fromkeys(files))


def _gates(root: Path, crate: Crate) -> tuple[Gate, ...]:
    texts = [(rel, read_source(root, rel)) for rel in _roots(crate)]
    return gates_in(((rel, text) for rel, text in texts if text is not None), crate.name)


#: Directories never searched for .proto files.
_SKIP = frozenset({"target", "node_modules", "vendor", ".git"})
_MAX_PROTOS = 400
_PROTO_COMPILERS = frozenset({"prost-build", "tonic-build", "tonic-prost-build"})


def _imports_well_known_types(root: Path) -> bool:
    """Whether a .proto file of the project imports google/protobuf/*.proto (bounded)."""
    seen = 0
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP and not d.startswith(".")]
        for name in files:
            if not name.endswith(".proto"):
                continue
            seen += 1
            text = read_source(root, os.path.relpath(os.path.join(current, name), root))
            if text and 'import "google/protobuf/' in text:
                return True
            if seen >= _MAX_PROTOS:
                return False
    return False


_GLOBAL_ALLOCATOR = re.compile(r"#\[\s*global_allocator\s*\]")
_CATCH_UNWIND = re.compile(r"\bcatch_unwind\s*\(")


def _own_allocators(sources: Sources) -> tuple[str, ...]:
    """#[global_allocator] the user wrote: rustdock's own block (after its marker line)
    is rustdock's to rewrite."""
    found = []
    for path, text in sources.files:
        for match in _GLOBAL_ALLOCATOR.finditer(text):
            before = text[max(0, match.start() - 200):match.start()]
            if ALLOCATOR_MARKER not in before:
                found.append(f"{path}:{text.count(chr(10), 0, match.start()) + 1}")
    return tuple(found)


def _dockerignore_user(root: Path) -> str:
    """The lines of a .dockerignore someone else wrote (rustdock's own section removed)."""
    text = read_source(root, ".dockerignore")
    if text is None or written_by_rustdock(text):
        return ""
    return split(text)[0]


def build_facts(root: Path, ws: Workspace, lock: Lock | None, config: CargoConfig,
                sources: Sources, ship_dir: str) -> BuildFacts:
    # Only packages with features can get past a gate on them (cargo rejects a feature a
    # package does not declare), so only theirs are read.
    shipping = [c for c in ws.members if c.binaries and c.features]
    protos = lock is not None and bool(_PROTO_COMPILERS & lock.names)
    sqlx = lock is not None and "sqlx-macros" in lock.names and sources.uses_sqlx_macros()
    dotenv, url = detect_scripts.database_url(root, (ship_dir, ".")) if sqlx else ("", "")
    return BuildFacts(
        gates=tuple(g for c in shipping for g in _gates(root, c)),
        crates=MappingProxyType({c.name: c for c in ws.crates.values()}),
        lock=lock,
        cargo_env=config.env,
        linkers=config.linkers,
        proto_wkt=protos and _imports_well_known_types(root),
        scripts=detect_scripts.scripts(root, ws.crates, read_source),
        git_sources=detect_scripts.git_sources(lock),
        submodules=detect_scripts.submodules(root),
        sqlx_macros=sqlx,
        dotenv=dotenv,
        database_url=url,
        embedded_files=sources.embedded_files(),
        dockerignore_user=_dockerignore_user(root),
        global_allocators=_own_allocators(sources),
        catch_unwind=sources.places(_CATCH_UNWIND),
    )
