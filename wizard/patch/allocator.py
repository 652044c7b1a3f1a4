"""The allocator crate in the shipping member's manifest (or the workspace's)."""

from __future__ import annotations

from typing import Any

from .. import versions
from .deps import MUSL, crate_name, dependencies, table_at, uses_inheritance
from .record import Path_

CRATES = {"jemalloc": "tikv-jemallocator", "mimalloc": "mimalloc"}
#: Crates that mean the user already picked an allocator.
KNOWN = frozenset({"tikv-jemallocator", "jemallocator", "mimalloc", "snmalloc-rs", "rpmalloc"})


def user_allocator(member: dict) -> str:
    """The allocator crate the user declared themselves, "" when none."""
    for _, key, spec in dependencies(member):
        if crate_name(key, spec) in KNOWN:
            return crate_name(key, spec)
    return ""


def allocator_edits(
    allocator: str, musl_only: bool, member: dict, root: dict, same_file: bool
) -> tuple[dict[Path_, Any], dict[Path_, Any]]:
    """(edits of the member manifest, edits of the root manifest)."""
    crate = CRATES.get(allocator)
    if crate is None:
        return {}, {}
    table: Path_ = ("target", MUSL, "dependencies") if musl_only else ("dependencies",)
    version = versions.CRATES[crate]
    if not uses_inheritance(member, root):
        return {(*table, crate): version}, {}
    root_edits: dict[Path_, Any] = {}
    if crate not in table_at(root, ("workspace", "dependencies")):
        root_edits[("workspace", "dependencies", crate)] = version
    member_edits = {(*table, crate): {"workspace": True}}
    if same_file:
        return {**root_edits, **member_edits}, {}
    return member_edits, root_edits
