"""Plans that cannot build on a machine without a registry: each one skips with its reason.

They stay covered by the matrix tier (parsed and linted); here the reason is checked to
name the download that blocks them, and the skip shows up in `pytest -rs`.
"""

from __future__ import annotations

import pytest

from benchmarks.offline import why_not_offline
from benchmarks.pipeline import copy_project, plan_outcome

pytestmark = pytest.mark.e2e

BLOCKED = {
    "musl-scratch": (["libc=musl", "runtime=scratch"], "rustup"),
    "alpine-builder": (["libc=musl", "builder=alpine", "runtime=scratch"], "Alpine"),
    "alpine-runtime": (["libc=musl", "runtime=alpine"], "Alpine"),
    "cargo-chef": (["libc=glibc", "runtime=distroless-cc", "caching=cargo-chef"], "crates.io"),
    "openssl-vendored": (["libc=glibc", "runtime=distroless-cc", "tls=openssl-vendored"], "crates.io"),
    "jemalloc": (["libc=glibc", "runtime=distroless-cc", "allocator=jemalloc"], "crates.io"),
    "arm64": (["libc=glibc", "runtime=distroless-cc", "platforms=arm64"], "rustup"),
    "multi-arch": (["libc=glibc", "runtime=distroless-cc", "platforms=amd64,arm64"], "rustup"),
    "trixie": (["libc=glibc", "runtime=distroless-cc", "debian=trixie"], "bookworm only"),
    "slim-builder": (["libc=glibc", "runtime=distroless-cc", "builder=debian-slim"], "apt-get"),
    "tini": (["libc=glibc", "runtime=debian-slim", "init=tini"], "apt-get"),
    "curl-healthcheck": (["libc=glibc", "runtime=debian-slim", "healthcheck=curl"], "apt-get"),
    "other-rust": (["libc=glibc", "runtime=distroless-cc", "rust_version=1.80"], "carries this machine's Rust"),
}


@pytest.mark.parametrize("case", list(BLOCKED))
def test_not_buildable_offline(case, tmp_path):
    sets, needle = BLOCKED[case]
    result = plan_outcome(copy_project("hello-http", tmp_path / "p"), sets)
    reason = why_not_offline(result.plan, result.rendered.dockerfile)
    assert reason, f"{case} would build offline: move it to the build tests"
    assert needle in reason
    pytest.skip(f"not buildable offline: {reason}")
