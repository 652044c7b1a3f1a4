"""Plan -> edits of Cargo.toml and the binary's main.rs. (Owned by the patch work.)"""

from __future__ import annotations

from dataclasses import dataclass

from ..changes import FileChange
from ..findings import Finding
from ..plan import Plan


@dataclass(frozen=True)
class PatchResult:
    #: One FileChange per file the plan edits (manifests, the binary's root source file).
    changes: tuple[FileChange, ...] = ()
    #: Conflicts with values the user set, and crates rustdock could not switch.
    findings: tuple[Finding, ...] = ()


def patch_project(plan: Plan) -> PatchResult:
    raise NotImplementedError("patch is being written")
