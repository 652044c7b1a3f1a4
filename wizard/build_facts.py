"""Facts about how a project builds that the rest of Project does not say: feature gates,
the local crates and their dependency entries, the lock file's graph, and what cargo's
own configuration sets. Read by detect, used by the needs step and the build rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from .feature_gates import Gate

if TYPE_CHECKING:  # cargo_workspace reads project.py, which holds a BuildFacts
    from .cargo_lock import Lock
    from .cargo_workspace import Crate


@dataclass(frozen=True)
class BuildFacts:
    #: `compile_error!` behind a cfg on features, in the shipped packages' build scripts
    #: and crate roots.
    gates: tuple[Gate, ...] = ()
    #: Every local crate (workspace members and path dependencies) by package name, with
    #: its dependency entries and features as its manifest writes them.
    crates: Mapping[str, Crate] = field(default_factory=lambda: MappingProxyType({}),
                                        hash=False, compare=False)
    #: Cargo.lock's packages and their dependencies (None without a lock file).
    lock: Lock | None = field(default=None, hash=False, compare=False)
    #: Variables `.cargo/config.toml` sets for every build ([env]).
    cargo_env: tuple[str, ...] = ()
    #: (target triple, linker) that `.cargo/config.toml` names.
    linkers: tuple[tuple[str, str], ...] = ()
    #: A .proto file of the project imports Google's well-known types
    #: (google/protobuf/*.proto), which protoc reads from its include directory.
    proto_wkt: bool = False
