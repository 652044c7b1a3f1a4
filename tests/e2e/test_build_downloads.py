"""Plans whose builds download: apt-get from deb.debian.org, `cargo install` and the crates
rustdock adds (allocators, vendored OpenSSL) from crates.io. Each image passes verify."""

from __future__ import annotations

import pytest

from benchmarks.containers import free_port

pytestmark = pytest.mark.e2e

CASES = {
    # The slim builder installs its C tools with apt-get; cargo-chef comes from
    # `cargo install`; mimalloc is a crate rustdock adds, with its C build.
    "slim-chef-mimalloc": ["builder=debian-slim", "caching=cargo-chef", "allocator=mimalloc",
                           "allocator_scope=all", "runtime=distroless-cc", "healthcheck=probe"],
    # openssl-src builds OpenSSL (perl, make) and tikv-jemalloc-sys builds jemalloc.
    "openssl-vendored-jemalloc": ["tls=openssl-vendored", "allocator=jemalloc", "allocator_scope=all",
                                  "caching=cache-mounts", "runtime=debian-slim", "healthcheck=curl"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_build_that_downloads(build, verify, case):
    port = free_port()
    # The allocator and openssl crates rustdock adds are not in Cargo.lock yet.
    built = build("hello-http", ["libc=glibc", "user=nonroot", f"port={port}", f"env=PORT={port}",
                                 *CASES[case]], refresh_lock=True)
    report = verify(built)
    assert report.ok, [c.line() for c in report.failed] + [report.output]
    assert report.check(f"port {port}").detail == "accepts connections, HTTP 200 on /health"
