"""Is Cargo.lock still in step with the manifests, and refreshing it with cargo.

rustdock's edits add crates (an allocator, openssl with `vendored`, rustls features), so
after a save `cargo build --locked` stops until Cargo.lock is refreshed. `missing` tells
from the files alone (no cargo, no network) which crates the manifests ask for that the
lock lacks; `refresh` runs `cargo update --workspace`, which adds them and leaves every
other locked version as it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cargo_lock import Lock
from .cargo_manifest import Dep

#: The command that brings Cargo.lock in step, changing no version it does not have to.
REFRESH = ("cargo", "update", "--workspace")
#: Features that pull in a crate of their own: (crate, words in the feature) -> crate.
FEATURE_CRATES: tuple[tuple[str, str, str], ...] = (
    ("openssl", "vendored", "openssl-src"),
    ("openssl-sys", "vendored", "openssl-src"),
    ("*", "rustls", "rustls"),
)
#: Longest a refresh may take (it may download the index).
TIMEOUT_SECONDS = 300


def missing(deps: Iterable[Dep], lock: Lock | None) -> tuple[str, ...]:
    """Crates the manifests ask for that Cargo.lock does not have ("" when there is no lock)."""
    if lock is None:
        return ()
    wanted: dict[str, None] = {}
    for dep in deps:
        if dep.path:
            continue
        wanted[dep.name] = None
        for crate, word, pulled in FEATURE_CRATES:
            if crate in (dep.name, "*") and any(word in feature for feature in dep.features):
                wanted[pulled] = None
    return tuple(name for name in wanted if name not in lock.graph)


def command_text() -> str:
    return " ".join(REFRESH)


@dataclass(frozen=True)
class Refresh:
    ok: bool
    #: What cargo printed (both streams), or why it could not run.
    output: str


def refresh(root: Path) -> Refresh:
    """Run `cargo update --workspace` in the project; never raises."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return Refresh(False, f"cargo is not on PATH: run `{command_text()}` yourself.")
    env = {**os.environ, "CARGO_TERM_COLOR": "never"}
    try:
        done = subprocess.run(
            [cargo, *REFRESH[1:]], cwd=root, env=env, capture_output=True, text=True,
            timeout=TIMEOUT_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired:
        return Refresh(False, f"`{command_text()}` took over {TIMEOUT_SECONDS} s and was stopped.")
    except OSError as err:
        return Refresh(False, f"`{command_text()}` could not start: {err.strerror}.")
    output = (done.stdout + done.stderr).strip() or "(cargo printed nothing)"
    return Refresh(done.returncode == 0, output)


def cargo_available() -> bool:
    return shutil.which("cargo") is not None
