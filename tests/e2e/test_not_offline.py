"""Plans that cannot build on a machine without a registry: each one skips with its reason.

Builds here reach deb.debian.org and crates.io, but no image registry and no github.com,
and rustup cannot download a standard library. The plans below stay covered by the
matrix tier (parsed and linted); here the reason is checked to name what blocks them,
and the skip shows up in `pytest -rs`. The plans that only needed apt or crates.io are
checked to build here (tests/e2e/test_build_downloads.py builds them).
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
    "muslrust": (["libc=musl", "builder=muslrust", "runtime=scratch"], "registry"),
    "chainguard": (["libc=glibc", "runtime=chainguard-glibc"], "registry"),
    "arm64": (["libc=glibc", "runtime=distroless-cc", "platforms=arm64"], "rustup"),
    "multi-arch": (["libc=glibc", "runtime=distroless-cc", "platforms=amd64,arm64"], "rustup"),
    "trixie": (["libc=glibc", "runtime=distroless-cc", "debian=trixie"], "bookworm only"),
    "other-rust": (["libc=glibc", "runtime=distroless-cc", "rust_version=1.80"], "this machine's Rust"),
    "private-registry": (["libc=glibc", "runtime=distroless-cc", "private_registry=true"], "private"),
}

#: What used to be listed above and builds now that builds reach apt and crates.io.
NOW_BUILDABLE = {
    "slim-builder": ["libc=glibc", "runtime=distroless-cc", "builder=debian-slim"],
    "tini": ["libc=glibc", "runtime=debian-slim", "init=tini"],
    "curl-healthcheck": ["libc=glibc", "runtime=debian-slim", "healthcheck=curl"],
    "cargo-chef": ["libc=glibc", "runtime=distroless-cc", "caching=cargo-chef"],
    "openssl-vendored": ["libc=glibc", "runtime=distroless-cc", "tls=openssl-vendored"],
    "jemalloc": ["libc=glibc", "runtime=distroless-cc", "allocator=jemalloc"],
    "mimalloc": ["libc=glibc", "runtime=distroless-cc", "allocator=mimalloc"],
}


@pytest.mark.parametrize("case", list(BLOCKED))
def test_not_buildable_here(case, tmp_path):
    sets, needle = BLOCKED[case]
    result = plan_outcome(copy_project("hello-http", tmp_path / "p"), sets)
    reason = why_not_offline(result.plan, result.rendered.dockerfile)
    assert reason, f"{case} would build here: move it to the build tests"
    assert needle in reason
    pytest.skip(f"not buildable here: {reason}")


@pytest.mark.parametrize("case", list(NOW_BUILDABLE))
def test_buildable_with_apt_and_crates_io(case, tmp_path):
    result = plan_outcome(copy_project("hello-http", tmp_path / "p"), NOW_BUILDABLE[case])
    assert why_not_offline(result.plan, result.rendered.dockerfile) == ""
