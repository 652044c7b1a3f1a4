"""The stand-in images themselves: what the generated Dockerfiles rely on must be there."""

from __future__ import annotations

import pytest

from benchmarks.containers import rootfs_files
from benchmarks.standins import (
    BUILDER_PACKAGES,
    NotOffline,
    ensure_all,
    from_refs,
    host_toolchain,
    qualify,
    standin_for,
)
from rustdock.wizard.needs_packages import BUILDER_HAS

pytestmark = pytest.mark.e2e

BUILDER = f"rust:{'.'.join(host_toolchain().version.split('.')[:2])}-bookworm"
SLIM_BUILDER = BUILDER.replace("-bookworm", "-slim-bookworm")


@pytest.fixture(scope="module")
def images(engine):
    ensure_all(engine)
    return engine


def _sh(engine, image: str, script: str, timeout: float = 60):
    return engine.run(image, ["sh", "-c", script], timeout=timeout)


def test_builder_has_the_host_toolchain_where_the_official_image_keeps_it(images):
    ran = _sh(images, BUILDER, "command -v cargo; cargo --version; rustc -vV; "
                               "echo $CARGO_HOME $RUSTUP_HOME; rustup target list --installed")
    refused = images.run(BUILDER, ["rustup", "target", "add", "x86_64-unknown-linux-musl"])
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0] == "/usr/local/cargo/bin/cargo"
    assert lines[1].startswith(f"cargo {host_toolchain().version}")
    assert f"commit-hash: {host_toolchain().commit}" in ran.stdout
    assert "/usr/local/cargo /usr/local/rustup" in lines
    assert lines[-1] == "x86_64-unknown-linux-gnu (installed)"
    assert refused.returncode != 0 and "offline" in refused.stderr


@pytest.mark.parametrize("image, table", [(BUILDER, "debian"), (SLIM_BUILDER, "debian-slim")])
def test_builder_carries_what_rustdock_assumes_it_has(images, image, table):
    """needs_packages.BUILDER_HAS, what each builder ships: rustdock installs nothing it
    lists, so each one must really be there (and the stand-in list is built from it)."""
    assert BUILDER_HAS["debian"] <= set(BUILDER_PACKAGES)
    wanted = sorted(BUILDER_HAS[table] | ({"g++", "libpq-dev", "libsqlite3-dev", "zlib1g-dev",
                                           "libcurl4-openssl-dev", "curl", "wget", "tzdata"}
                                          if table == "debian" else set()))
    ran = _sh(images, image, "dpkg-query -W -f '${Package} ${Status}\\n' " + " ".join(wanted))
    installed = {line.split()[0] for line in ran.stdout.splitlines() if line.endswith(" installed")}
    assert installed == set(wanted), ran.stderr


def test_apt_get_install_works_in_the_builder(images):
    """A build's `apt-get update && apt-get install` reaches the archive the real image's
    sources name (deb.debian.org answers builds here)."""
    ran = _sh(images, BUILDER, "apt-get update -qq && apt-get install -y -qq --no-install-recommends "
                               "protobuf-compiler >/dev/null && protoc --version", timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.strip().startswith("libprotoc ")


@pytest.mark.parametrize("image", ["gcr.io/distroless/cc-debian12", "gcr.io/distroless/static-debian12"])
def test_distroless_has_nonroot_and_certificates_but_no_shell(images, image):
    files = rootfs_files(images, image)
    assert {"etc/passwd", "etc/group", "etc/ssl/certs/ca-certificates.crt"} <= files
    assert "usr/share/zoneinfo/Europe/Paris" in files
    assert not {"bin/sh", "usr/bin/sh", "usr/bin/bash", "usr/bin/busybox"} & files
    has_libc = "usr/lib/x86_64-linux-gnu/libc.so.6" in files
    assert has_libc == ("cc-" in image)
    assert images.image(f"{image}:nonroot").user == "65532:65532"
    assert images.image(f"{image}:nonroot").workdir == "/home/nonroot"


def test_image_references_resolve_to_stand_ins_or_say_why_not():
    assert qualify("rust:1.95-bookworm") == "docker.io/library/rust:1.95-bookworm"
    assert standin_for("gcr.io/distroless/cc-debian12").key == "cc"
    assert standin_for(SLIM_BUILDER).key == "slim-builder"
    assert standin_for("scratch") is None
    with pytest.raises(NotOffline, match="Alpine"):
        standin_for("alpine:3.22")
    with pytest.raises(NotOffline, match="bookworm only"):
        standin_for("rust:1.95-trixie")
    dockerfile = "ARG RUST_VERSION=1.95\nFROM rust:${RUST_VERSION}-bookworm AS build\nFROM build AS x\nFROM scratch\n"
    assert from_refs(dockerfile) == ("rust:1.95-bookworm", "scratch")
