"""The std-only HTTP service, built for every glibc runtime that builds here.

Each image must pass every check of `rustdock verify` (start, uid, port with its health
path, HEALTHCHECK, stop time, size) and carry nothing the plan did not ask for.
"""

from __future__ import annotations

import pytest

from benchmarks.containers import free_port, rootfs_files

pytestmark = pytest.mark.e2e

BASE = {
    "distroless-cc": "gcr.io/distroless/cc-debian12",
    "debian-slim": "debian:bookworm-slim",
    "distroless-static": "gcr.io/distroless/static-debian12",
}

CASES = {
    # runtime, libc, caching, healthcheck, uid, init, files the plan adds to the base image
    "distroless-cc": ("glibc", "dummy-main", "program", 65532, "none", set()),
    "debian-slim": ("glibc", "cache-mounts", "curl", 10001, "tini", {"tini"}),
    "distroless-static": ("glibc-static", "none", "probe", 4242, "none", {"app/healthprobe"}),
    "scratch": ("glibc-static", "dummy-main", "probe", 10001, "tini",
                {"etc/passwd", "etc/group", "tini", "app/healthprobe"}),
}


@pytest.mark.parametrize("runtime", list(CASES))
def test_service_image(build, engine, verify, runtime):
    libc, caching, health, uid, init, extra = CASES[runtime]
    port = free_port()
    built = build("hello-http", [
        f"runtime={runtime}", f"libc={libc}", f"caching={caching}", f"healthcheck={health}",
        "user=nonroot", f"uid={uid}", f"port={port}", f"env=PORT={port}", f"init={init}",
    ])
    assert engine.image(built.image).tcp_ports == (port,)

    report = verify(built)
    assert report.ok, [c.line() for c in report.failed] + [report.output]
    names = [c.name for c in report.checks]
    assert names == ["start", f"port {port}", "user", "healthcheck", "writable", "stop", "size"]
    assert report.check("user").detail == f"runs as uid {uid}"
    assert report.check("healthcheck").status == "pass"
    if health != "program":  # an HTTP probe: verify asked the health path itself
        assert report.check(f"port {port}").detail == "accepts connections, HTTP 200 on /health"

    added = rootfs_files(engine, built.image) - (
        rootfs_files(engine, BASE[runtime]) if runtime in BASE else frozenset()
    )
    program = f"app/{built.outcome.plan.binary}"
    # debian-slim's useradd rewrites the account files (and their backups), apt-get leaves
    # its caches' directories; distroless ships its users.
    account_files = {"etc/passwd", "etc/group", "etc/shadow", "etc/gshadow",
                     "etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-"}
    expected = {program} | extra
    unexpected = added - expected - (account_files if runtime == "debian-slim" else set())
    if runtime == "debian-slim":  # curl and its libraries come from apt: judged by verify
        unexpected = {f for f in unexpected if not f.startswith(("usr/", "etc/", "var/"))}
    assert program in added
    assert unexpected == set(), f"files the plan did not ask for: {sorted(unexpected)}"
    if runtime == "scratch":
        assert added == expected
