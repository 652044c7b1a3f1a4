"""The stand-in images themselves: what the generated Dockerfiles rely on must be there."""

from __future__ import annotations

import pytest

from benchmarks.containers import container, rootfs_files
from benchmarks.standins import NotOffline, ensure_all, from_refs, host_toolchain, qualify, standin_for

pytestmark = pytest.mark.e2e

BUILDER = f"rust:{'.'.join(host_toolchain().version.split('.')[:2])}-bookworm"


@pytest.fixture(scope="module")
def images(buildah):
    ensure_all(buildah)
    return buildah


def test_builder_has_the_host_toolchain_where_the_official_image_keeps_it(images):
    with container(images, BUILDER) as ctr:
        ran = images.run(ctr, ["sh", "-c", "command -v cargo; cargo --version; rustc -vV; "
                                           "echo $CARGO_HOME $RUSTUP_HOME; rustup target list --installed"])
        refused = images.run(ctr, ["rustup", "target", "add", "x86_64-unknown-linux-musl"])
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0] == "/usr/local/cargo/bin/cargo"
    assert lines[1].startswith(f"cargo {host_toolchain().version}")
    assert f"commit-hash: {host_toolchain().commit}" in ran.stdout
    assert "/usr/local/cargo /usr/local/rustup" in lines
    assert lines[-1] == "x86_64-unknown-linux-gnu (installed)"
    assert refused.returncode != 0 and "offline" in refused.stderr


@pytest.mark.parametrize("image", ["gcr.io/distroless/cc-debian12", "gcr.io/distroless/static-debian12"])
def test_distroless_has_nonroot_and_certificates_but_no_shell(images, image):
    files = rootfs_files(images, image)
    assert {"etc/passwd", "etc/group", "etc/ssl/certs/ca-certificates.crt"} <= files
    assert "usr/share/zoneinfo/Europe/Paris" in files
    assert not {"bin/sh", "usr/bin/sh", "usr/bin/bash", "usr/bin/busybox"} & files
    has_libc = "usr/lib/x86_64-linux-gnu/libc.so.6" in files
    assert has_libc == ("cc-" in image)
    with container(images, image) as ctr:
        passwd = (images.mount(ctr) / "etc/passwd").read_text()
    assert "nonroot:x:65532:65532:" in passwd
    assert images.config(f"{image}:nonroot")["User"] == "65532:65532"


def test_image_references_resolve_to_stand_ins_or_say_why_not():
    assert qualify("rust:1.95-bookworm") == "docker.io/library/rust:1.95-bookworm"
    assert standin_for("gcr.io/distroless/cc-debian12").key == "cc"
    assert standin_for("scratch") is None
    with pytest.raises(NotOffline, match="Alpine"):
        standin_for("alpine:3.22")
    dockerfile = "ARG RUST_VERSION=1.95\nFROM rust:${RUST_VERSION}-bookworm AS build\nFROM build AS x\nFROM scratch\n"
    assert from_refs(dockerfile) == ("rust:1.95-bookworm", "scratch")
