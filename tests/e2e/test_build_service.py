"""The std-only HTTP service, built for every glibc runtime that builds offline.

Each image must build, serve HTTP on the chosen port to the host, run as the chosen uid,
pass its own HEALTHCHECK from inside, and carry nothing the plan did not ask for.
"""

from __future__ import annotations

import pytest

from benchmarks.containers import (
    container,
    free_port,
    http_get,
    image_config,
    rootfs_files,
    serve,
)

pytestmark = pytest.mark.e2e

BASE = {
    "distroless-cc": "gcr.io/distroless/cc-debian12",
    "debian-slim": "debian:bookworm-slim",
    "distroless-static": "gcr.io/distroless/static-debian12",
}

CASES = {
    # runtime, libc, caching, healthcheck, uid, files the plan adds to the base image
    "distroless-cc": ("glibc", "dummy-main", "program", 65532, set()),
    "debian-slim": ("glibc", "cache-mounts", "probe", 10001, {"app/healthprobe"}),
    "distroless-static": ("glibc-static", "none", "probe", 4242, {"app/healthprobe"}),
    "scratch": ("glibc-static", "dummy-main", "program", 10001, {"etc/passwd", "etc/group"}),
}


@pytest.mark.parametrize("runtime", list(CASES))
def test_service_image(build, buildah, runtime):
    libc, caching, health, uid, extra = CASES[runtime]
    port = free_port()
    built = build("hello-http", [
        f"runtime={runtime}", f"libc={libc}", f"caching={caching}", f"healthcheck={health}",
        "user=nonroot", f"uid={uid}", f"port={port}", f"env=PORT={port}",
    ])
    conf = image_config(buildah, built.image)
    assert port in conf.ports

    with serve(buildah, built.image, port) as server:
        assert http_get(port, "/") == (200, "hello from hello-http\n")
        assert http_get(port, "/health") == (200, "ok\n")
        assert server.uid() == uid
        # The HEALTHCHECK, run inside a second container of the same image (shared loopback).
        assert conf.healthcheck, "the plan asked for a HEALTHCHECK"
        with container(buildah, built.image) as ctr:
            check = buildah.run(ctr, conf.healthcheck, user=conf.user, workdir=conf.workdir)
        assert check.returncode == 0, check.stdout + check.stderr

    # With the server gone the same check must fail: it really probes the server.
    with container(buildah, built.image) as ctr:
        assert buildah.run(ctr, conf.healthcheck, user=conf.user).returncode != 0

    added = rootfs_files(buildah, built.image) - (
        rootfs_files(buildah, BASE[runtime]) if runtime in BASE else frozenset()
    )
    program = conf.argv[0].lstrip("/")
    # debian-slim's useradd rewrites the account files, and buildah's RUN leaves the
    # /etc/hosts it mounted (Docker bind-mounts it instead); distroless ships its users.
    account_files = {"etc/passwd", "etc/group", "etc/shadow", "etc/gshadow", "etc/hosts",
                     "etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-"}
    unexpected = added - {program} - extra - (account_files if runtime == "debian-slim" else set())
    assert program in added
    assert unexpected == set(), f"files the plan did not ask for: {sorted(unexpected)}"
    if runtime == "scratch":
        assert added == {program} | extra
