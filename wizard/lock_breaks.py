"""Locked crate versions that newer Rust no longer compiles: a table, not branches.

A Cargo.lock made before a Rust release can hold a version that release rejects; the
image's `cargo build --locked` then stops, though the same lock builds on the developer's
older toolchain. Each row: the crate, the first version that compiles again, the Rust
release that broke the older ones, and what the compiler says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .cargo_lock import version_key


@dataclass(frozen=True)
class Break:
    crate: str
    #: The first version with the code newer Rust rejects (older series are not affected).
    broken_from: str
    #: The first version that compiles on every Rust since.
    fixed_in: str
    #: The first Rust release that rejects the older versions.
    rust_from: str
    symptom: str


BREAKS: tuple[Break, ...] = (
    # rust-lang/rust#127343: Rust 1.80's new `impl FromIterator for Box<str>` made an
    # inference in time's format_description ambiguous (time-rs/time#693).
    Break("time", "0.3.0", "0.3.35", "1.80", "error[E0282]: type annotations needed for `Box<_>`"),
)


def locked_breaks(versions: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    """(crate, locked version) of every BREAKS row the lock holds a broken version of."""
    found = []
    for row in BREAKS:
        for version in versions.get(row.crate, ()):
            parsed = version_key(version)
            if parsed and version_key(row.broken_from) <= parsed < version_key(row.fixed_in):
                found.append((row.crate, version))
    return tuple(found)


BY_CRATE: Mapping[str, Break] = {row.crate: row for row in BREAKS}
