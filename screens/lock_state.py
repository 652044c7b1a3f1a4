"""Whether Cargo.lock is in step with the manifests, and how a refresh went."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class LockState:
    #: Crates the manifests ask for that Cargo.lock lacks (empty: in step).
    missing: tuple[str, ...] = ()
    #: `cargo update --workspace` is running now.
    running: bool = False
    #: A refresh ran in this session; `ok` and `output` say how it went.
    ran: bool = False
    ok: bool = False
    output: str = ""

    @property
    def stale(self) -> bool:
        return bool(self.missing)

    def checked(self, missing: tuple[str, ...]) -> LockState:
        return replace(self, missing=missing)

    def started(self) -> LockState:
        return replace(self, running=True, ran=False, ok=False, output="")

    def finished(self, ok: bool, output: str) -> LockState:
        return replace(self, running=False, ran=True, ok=ok, output=output)
