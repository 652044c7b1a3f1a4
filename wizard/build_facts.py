"""Facts about how a project builds that the rest of Project does not say: feature gates,
the local crates and their dependency entries, the lock file's graph, what cargo's own
configuration sets, what build scripts need, submodules, sqlx's .env and a hand-written
.dockerignore. Read by detect, used by the needs step and the build rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from .build_scripts import ScriptFacts
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
    #: What each local crate's build script needs (git, network, files).
    scripts: tuple[ScriptFacts, ...] = ()
    #: Repositories Cargo.lock fetches crates from over https.
    git_sources: tuple[str, ...] = ()
    #: (path, checked out) of each git submodule .gitmodules lists.
    submodules: tuple[tuple[str, bool], ...] = ()
    #: The program uses sqlx's compile-time checked queries (query!, query_as!, ...).
    sqlx_macros: bool = False
    #: The .env that sets DATABASE_URL for them, and the URL ("" when none).
    dotenv: str = ""
    database_url: str = ""
    #: Files include_str!/include_bytes! compile in, relative to the root.
    embedded_files: tuple[str, ...] = ()
    #: Where the program's own code sets `#[global_allocator]` ("path:line"), rustdock's
    #: own block left out.
    global_allocators: tuple[str, ...] = ()
    #: Where the program's own code calls catch_unwind ("path:line"): panic=abort would
    #: turn what it catches into an abort.
    catch_unwind: tuple[str, ...] = ()
    #: The lines of a .dockerignore rustdock did not write (without rustdock's own
    #: section), "" when there is none or rustdock wrote all of it.
    dockerignore_user: str = ""
