"""The engine the e2e tier builds and runs images with, and small helpers around it.

Docker (BuildKit) when a daemon answers; else buildah in a storage of its own
(benchmarks/buildah.py: `/var/cache/rustdock-e2e/storage-<driver>`), never pulling.
RUSTDOCK_E2E_ENGINE=buildah forces the fallback (to test it where docker exists).
Images are checked with `rustdock verify`'s own functions (wizard/verify.py), so users
get the very checks the tests make.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
from collections.abc import Sequence
from functools import cache

from rustdock.wizard.engine import find_engine
from rustdock.wizard.engine_base import Engine, NoEngine
from rustdock.wizard.engine_buildah import BuildahEngine

from .buildah import Buildah

#: Names every image and container of one test session (two sessions never collide).
SESSION = secrets.token_hex(3)
PREFIX = os.environ.get("RUSTDOCK_E2E_PREFIX", "rdk-e2e")


@cache
def harness_engine() -> Engine:
    """docker, else buildah with the harness's own storage. Raises NoEngine (why not)."""
    forced = os.environ.get("RUSTDOCK_E2E_ENGINE", "")
    reasons = []
    if forced in {"", "docker"}:
        try:
            return find_engine("docker")
        except NoEngine as err:
            reasons.append(str(err))
    if forced in {"", "buildah"}:
        why = Buildah.available()
        if not why:
            storage = tuple(Buildah().argv()[1:])
            return BuildahEngine(storage=storage, pull=False,
                                 description=f"buildah ({Buildah().driver} storage, no daemon)")
        reasons.append(f"buildah fallback: {why}")
    raise NoEngine("; ".join(reasons) or f"RUSTDOCK_E2E_ENGINE={forced!r} is not docker or buildah")


def image_tag(test_name: str) -> str:
    """A valid, session-unique image name for a test: rdk-e2e/<test>:<session>."""
    name = re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")[:100] or "image"
    return f"{PREFIX}/{name}:{SESSION}"


def run_image(engine: Engine, image: str, args: Sequence[str] = (), timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the image's entrypoint once (args replace CMD), as its USER, in its WORKDIR."""
    return engine.run(image, args, timeout=timeout)


def rootfs_files(engine: Engine, image: str) -> frozenset[str]:
    """Every file and symlink in the image (directories left out), as relative paths."""
    return engine.files(image)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
